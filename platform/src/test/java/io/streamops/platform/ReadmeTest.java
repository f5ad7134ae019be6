package io.streamops.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.schemas.config.ConfigDocs;
import io.streamops.schemas.topics.TopicDocs;
import io.streamops.schemas.workflow.Workflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's generated tables are the declarations' (regenerate with {@code ./streamops config} and {@code topics --markdown}). */
class ReadmeTest {

    @Test
    void theConfigurationTablesAreGeneratedFromTheDeclarations() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int begin = readme.indexOf(ConfigDocs.BEGIN);
        int end = readme.indexOf(ConfigDocs.END);
        assertThat(begin).as("the README has the generated tables' markers").isNotNegative();
        assertThat(end).isGreaterThan(begin);

        assertThat(readme.substring(begin, end + ConfigDocs.END.length()))
                .as("README.md's configuration tables; run ./streamops config and paste its output")
                .isEqualTo(ConfigDocs.markdown(PlatformConfig.groups()));
    }

    @Test
    void theTopicsTableIsGeneratedFromTheDeclarations() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int begin = readme.indexOf(TopicDocs.BEGIN);
        int end = readme.indexOf(TopicDocs.END);
        assertThat(begin).as("the README has the generated table's markers").isNotNegative();

        assertThat(readme.substring(begin, end + TopicDocs.END.length()))
                .as("README.md's topics table; run ./streamops topics --markdown and paste its output")
                .isEqualTo(TopicDocs.markdown(Workflows.topics()));
    }
}
