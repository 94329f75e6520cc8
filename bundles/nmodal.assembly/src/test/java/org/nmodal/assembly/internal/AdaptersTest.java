package org.nmodal.assembly.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import org.nmodal.features.StandaloneFeatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.FeatureVector;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.metadata.MetadataAdapter;
import org.nmodal.assembly.PipelineDefinition;
import org.nmodal.data.FeatureCache;
import org.nmodal.data.FeatureSet;

/** Adapted metadata as modalities: the pipeline field, its checks, and posts with and without the metadata. */
class AdaptersTest {
    @TempDir
    Path dir;

    private static ModalityEncoder length(AtomicInteger calls) {
        return new ModalityEncoder() {
            @Override public String name() { return "len"; }
            @Override public String modality() { return "text"; }
            @Override public int dimension() { return 1; }
            @Override public String device() { return "cpu"; }
            @Override public String version() { return "1"; }
            @Override public List<Encoding> encode(List<? extends ModalityInput> inputs) {
                calls.addAndGet(inputs.size());
                return inputs.stream().map(i -> Encoding.of(new float[] {((TextInput) i).text().length()})).toList();
            }
        };
    }

    private static MetadataAdapter adapter(String name, int dimension, Function<Post, Optional<ModalityInput>> f) {
        return new MetadataAdapter() {
            @Override public String name() { return name; }
            @Override public String modality() { return "meta." + name; }
            @Override public int dimension() { return dimension; }
            @Override public Optional<ModalityInput> adapt(Post post) { return f.apply(post); }
        };
    }

    private Registry registry(AtomicInteger calls) {
        Registry r = new Registry();
        r.addEncoder(length(calls), Map.of("service.ranking", 0, "service.id", 1L));
        r.addAdapter(adapter("caption", 0, p -> Optional.ofNullable(p.metadata().caption()).map(TextInput::new)),
                Map.of());
        r.addAdapter(adapter("hour", 1, p -> Optional.ofNullable(p.metadata().timestamp())
                .map(t -> new FeatureVector(new float[] {t.getEpochSecond() / 3600 % 24}))), Map.of());
        r.addAdapter(adapter("broken", 2, p -> {
            if (p.id().equals("b")) {
                throw new IllegalStateException("cannot read it");
            }
            return Optional.of(new FeatureVector(new float[] {1, 2, 3}));
        }), Map.of());
        return r;
    }

    private Path pipeline(String adapters) throws Exception {
        Path data = Files.createDirectories(dir.resolve("posts"));
        Files.writeString(data.resolve("posts.jsonl"), String.join("\n",
                "{\"id\": \"a\", \"text\": \"x\", \"meta\": {\"caption\": \"a dog\", \"timestamp\": \"2024-01-01T05:00:00Z\"},"
                        + " \"labels\": {\"y\": \"1\"}, \"split\": \"train\"}",
                "{\"id\": \"b\", \"text\": \"y\", \"meta\": {\"timestamp\": \"not a time\"}, \"labels\": {\"y\": \"0\"},"
                        + " \"split\": \"train\"}",
                "{\"id\": \"c\", \"text\": \"z\", \"labels\": {\"y\": \"1\"}, \"split\": \"test\"}") + "\n");
        return Files.writeString(dir.resolve("m.json"), "{\"id\": \"m\", \"data\": {\"format\": \"posts\", \"path\": "
                + "\"posts\"}, \"encoders\": {\"text\": \"len\"}, \"adapters\": " + adapters + ", \"tasks\": [\"y\"]}");
    }

    @Test
    void adaptedStreamsAreModalitiesAndMissingMetadataIsAMissingModality() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Registry parts = registry(calls);
        PipelineDefinition spec = PipelineDefinition.read(pipeline("{\"cap\": {\"adapter\": \"caption\", \"encoder\": "
                + "\"len\"}, \"when\": \"hour\", \"bad\": {\"adapter\": \"broken\"}}"), null);
        assertEquals(List.of("text", "cap", "when", "bad"), spec.modalities());
        assertEquals(Map.of("text", "len", "cap", "len"), spec.encodersUsed());
        PipelineRunner.validateAdapters(spec, parts);
        PipelineRunner runner = new PipelineRunner(parts, StandaloneFeatures.extraction(new FeatureCache(dir.resolve("cache"))),
                null, (org.nmodal.api.pipeline.WorkFolder) null);
        List<String> log = new ArrayList<>();
        FeatureSet set = runner.encodePosts(spec, log::add);
        assertArrayEquals(new float[] {5}, set.features("cap")[0]);
        assertNull(set.features("cap")[1], "no caption: the post misses the modality");
        assertNull(set.features("cap")[2]);
        assertArrayEquals(new float[] {5}, set.features("when")[0]);
        assertNull(set.features("when")[1], "an unreadable time is a missing modality");
        assertEquals(3 + 1, calls.get(), "the three texts and the one caption are encoded");
        float[][] bad = set.features("bad");
        assertNull(bad[0], "three values from a 2-d adapter are refused");
        assertNull(bad[1]);
        List<String> errors = set.errors();
        assertTrue(errors.stream().anyMatch(e -> e.equals("post b: bad: adapter 'broken' failed (cannot read it); "
                + "the post goes on without bad")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.equals("post a: bad: 3 values where 2 were declared; the post goes "
                + "on without bad")), errors.toString());
        assertTrue(errors.stream().noneMatch(e -> e.contains(": cap") || e.contains(": when")), errors.toString());
        assertTrue(log.contains("when: adapter hour, 1 of 3 posts have it"), log.toString());
        runner.encodePosts(spec, log::add);
        assertEquals(4, calls.get(), "adapted texts come from the feature cache the second time");
    }

    @Test
    void unknownAdaptersAndMissingEncodersAreOneLine() throws Exception {
        Registry parts = registry(new AtomicInteger());
        assertEquals("m.json: adapters.x.adapter: unknown adapter 'hashtagz' (available: broken, caption, hour)",
                assertThrows(InvalidInputException.class, () -> PipelineRunner.validateAdapters(PipelineDefinition.read(
                        pipeline("{\"x\": \"hashtagz\"}"), null), parts)).getMessage());
        assertEquals("m.json: adapters.x: adapter 'caption' gives texts; name their encoder, e.g. {\"adapter\": "
                + "\"caption\", \"encoder\": ...} (text encoders: len)", assertThrows(InvalidInputException.class,
                        () -> PipelineRunner.validateAdapters(PipelineDefinition.read(pipeline("{\"x\": \"caption\"}"),
                                null), parts)).getMessage());
        assertEquals("m.json: adapters.x.encoder: unknown encoder 'gpt-9' (available: len)",
                assertThrows(InvalidInputException.class, () -> PipelineRunner.validateAdapters(PipelineDefinition.read(
                        pipeline("{\"x\": {\"adapter\": \"caption\", \"encoder\": \"gpt-9\"}}"), null), parts))
                        .getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> PipelineRunner.validateAdapters(
                PipelineDefinition.read(pipeline("{\"x\": {\"adapter\": \"hour\", \"encoder\": \"len\"}}"), null),
                parts)).getMessage().startsWith("m.json: adapters.x.encoder: adapter 'hour' gives 1-d vectors"));
        assertEquals("m.json: adapters.text: a modality name is 1 to 100 letters, digits, '.', '_' or '-', not "
                + "starting with '.', and not one the encoders already name", assertThrows(InvalidInputException.class,
                        () -> PipelineDefinition.read(pipeline("{\"text\": \"hour\"}"), null)).getMessage());
        assertEquals("m.json: adapters.x: unknown field 'encodr' (fields: adapter, encoder)",
                assertThrows(InvalidInputException.class, () -> PipelineDefinition.read(pipeline(
                        "{\"x\": {\"adapter\": \"caption\", \"encodr\": \"len\"}}"), null)).getMessage());
    }
}
