package io.streamops.gateway;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.events.RequestEvent;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.wait.Poll;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RequestEventPublisherTest {

    @Test
    void whenKafkaStallsTheBufferFillsAndTheNewestEventsAreDroppedAndCounted() throws Exception {
        CountDownLatch kafkaBack = new CountDownLatch(1);
        MockProducer<String, RequestEvent> stalled =
                new MockProducer<>(true, null, new StringSerializer(), (t, e) -> new byte[0]) {
                    @Override
                    public synchronized Future<RecordMetadata> send(
                            ProducerRecord<String, RequestEvent> record, Callback callback) {
                        awaitQuietly(kafkaBack);
                        return super.send(record, callback);
                    }
                };
        // Not synchronized on the producer's monitor while stalled: history() must stay readable.
        try (RequestEventPublisher publisher = new RequestEventPublisher(stalled, "requests", 2)) {
            assertThat(publisher.offer(event(0))).isTrue();
            Poll.until(
                    "the sender to take the first event",
                    Duration.ofSeconds(5),
                    () -> publisher.stats().queued() == 0);
            assertThat(publisher.offer(event(1))).isTrue();
            assertThat(publisher.offer(event(2))).isTrue();

            assertThat(publisher.offer(event(3))).isFalse();
            assertThat(publisher.stats().dropped()).isEqualTo(1);

            kafkaBack.countDown();
            Poll.until(
                    "the buffer to drain",
                    Duration.ofSeconds(5),
                    () -> publisher.stats().published() == 3);
        }
    }

    @Test
    void eventsAreKeyedByClientKeyAndStampedWithTheirEventTime() {
        MockProducer<String, RequestEvent> producer =
                new MockProducer<>(true, null, new StringSerializer(), (t, e) -> new byte[0]);
        try (RequestEventPublisher publisher = new RequestEventPublisher(producer, "requests", 10)) {
            publisher.offer(
                    TestEvents.request("e-1", BEGINNING).setPrincipal("alice").build());
            Poll.until(
                    "the event to be sent",
                    Duration.ofSeconds(5),
                    () -> publisher.stats().published() == 1);
        }
        ProducerRecord<String, RequestEvent> sent = producer.history().get(0);
        assertThat(sent.key()).isEqualTo("user:alice");
        assertThat(sent.timestamp()).isEqualTo(BEGINNING.toEpochMilli());
        assertThat(sent.topic()).isEqualTo("requests");
    }

    private static RequestEvent event(int i) {
        return TestEvents.request("e-" + i, BEGINNING).build();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
