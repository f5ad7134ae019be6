package io.streamops.schemas.topics;

import io.streamops.schemas.wait.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Creates the registry's topics on a cluster; existing topics are left as they are. */
public final class TopicAdmin {

    private TopicAdmin() {}

    /**
     * Creates each missing topic with its declared partitions, cleanup policy and retention.
     *
     * @return names of the topics that were created now
     */
    public static List<String> createMissing(
            Admin admin, Collection<? extends Topic<?, ?>> topics, short replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            if (!existing.contains(topic.name())) {
                missing.add(new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.configs()));
            }
        }
        List<String> created = missing.stream().map(NewTopic::name).toList();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            awaitWritable(admin, created, Duration.ofSeconds(60));
        }
        return created;
    }

    /**
     * Waits until every partition of the topics answers for its offsets, the path a produce takes.
     * A topic is created before its partitions have started; an idempotent producer writing in that
     * moment can have its first batch refused and later ones taken, and then stays out of sequence
     * on that partition for good (seen with Kafka 4.4 as an endless OutOfOrderSequenceException).
     */
    public static void awaitWritable(Admin admin, Collection<String> topics, Duration timeout) {
        Poll.until("every partition of " + topics + " to answer for its offsets", timeout, () -> {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics)
                        .allTopicNames()
                        .get()
                        .values()
                        .forEach(topic -> topic.partitions()
                                .forEach(p -> latest.put(
                                        new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get();
                return true;
            } catch (ExecutionException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        });
    }
}
