package org.nmodal.assembly.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import org.nmodal.features.StandaloneFeatures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.assembly.PipelineDefinition;
import org.nmodal.data.FeatureCache;
import org.nmodal.data.FeatureSet;

/** A feature table's text column becomes a modality, encoded through the guarded, cached extraction. */
class TextColumnsTest {
    @TempDir
    Path dir;

    /** Encodes a text as (its length, number of words); counts the texts it was given. */
    private static ModalityEncoder counting(AtomicInteger calls) {
        return new ModalityEncoder() {
            @Override public String name() { return "len"; }
            @Override public String modality() { return "text"; }
            @Override public int dimension() { return 2; }
            @Override public String device() { return "cpu"; }
            @Override public String version() { return "1"; }
            @Override public List<Encoding> encode(List<? extends ModalityInput> inputs) {
                calls.addAndGet(inputs.size());
                return inputs.stream().map(i -> ((TextInput) i).text())
                        .map(t -> Encoding.of(new float[] {t.length(), t.split(" ").length})).toList();
            }
        };
    }

    private Path table() throws IOException {
        Path data = Files.createDirectories(dir.resolve("table"));
        Files.writeString(data.resolve("meta.csv"), "id,split,label,video,text\n"
                + "u1,train,1,v1,GREAT FILM\n"
                + "u2,train,0,v1,\"dull, long and loud\"\n"
                + "u3,dev,1,v2,\n"
                + "u4,test,0,v2,not for me\n");
        ByteBuffer b = ByteBuffer.allocate(4 * 4 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            b.putFloat(i);
        }
        Files.write(data.resolve("audio.f32le.bin"), b.array());
        return data;
    }

    private Path pipeline(String data) throws IOException {
        return Files.writeString(dir.resolve("t.json"), "{\"id\": \"t\", \"data\": {\"format\": \"features\", "
                + "\"path\": \"table\", \"contextColumn\": \"video\", " + data + "}, \"modalities\": [\"audio\"], "
                + "\"tasks\": [\"label\"]}");
    }

    private static Registry registry(ModalityEncoder encoder) {
        Registry r = new Registry();
        r.addEncoder(encoder, Map.of("service.ranking", 0, "service.id", 1L));
        return r;
    }

    @Test
    void aTextColumnIsEncodedAsAModalityAndCachedByPostAndText() throws Exception {
        table();
        PipelineDefinition spec = PipelineDefinition.read(pipeline(
                "\"textColumns\": {\"transcript\": {\"column\": \"text\", \"encoder\": \"len\"}}"), null);
        assertEquals(List.of("audio", "transcript"), spec.modalities(), "text columns join the modalities");
        assertEquals(Map.of("transcript", "len"), spec.encodersUsed());
        AtomicInteger calls = new AtomicInteger();
        Registry parts = registry(counting(calls));
        PipelineRunner.validateTextColumns(spec, parts);
        PipelineRunner runner = new PipelineRunner(parts, StandaloneFeatures.extraction(new FeatureCache(dir.resolve("cache"))),
                null, (org.nmodal.api.pipeline.WorkFolder) null);
        List<String> log = new ArrayList<>();
        FeatureSet set = runner.readTable(spec, log::add);
        assertEquals(2, set.dimension("transcript"));
        float[][] t = set.features("transcript");
        assertArrayEquals(new float[] {10, 2}, t[0]);
        assertArrayEquals(new float[] {19, 4}, t[1], "a quoted cell keeps its comma");
        assertNull(t[2], "an empty cell: the post goes on without the modality");
        assertArrayEquals(new float[] {10, 3}, t[3]);
        assertArrayEquals(new float[] {6, 7}, set.features("audio")[3]);
        assertEquals(3, calls.get());
        assertEquals(List.of("v1", "v1", "v2", "v2"), List.of(set.groups()), "context groups apply to it too");
        assertEquals(List.of("transcript: len, 0 from cache, 3 encoded"), log.stream().map(l -> l.replaceAll(
                " in [0-9.]+ s$", "")).toList());

        runner.readTable(spec, log::add);
        assertEquals(3, calls.get(), "the second read is served from the cache");
        assertEquals("transcript: len, 3 from cache, 0 encoded", log.get(1).replaceAll(" in [0-9.]+ s$", ""));
    }

    @Test
    void anUnknownColumnOrEncoderIsOneLineNamingTheField() throws Exception {
        Path data = table();
        Registry parts = registry(counting(new AtomicInteger()));
        PipelineDefinition column = PipelineDefinition.read(pipeline(
                "\"textColumns\": {\"transcript\": {\"column\": \"txt\", \"encoder\": \"len\"}}"), null);
        assertEquals("t.json: data.textColumns.transcript.column: no column 'txt' in " + data.resolve("meta.csv")
                + " (columns: id, split, label, video, text)", assertThrows(InvalidInputException.class,
                        () -> PipelineRunner.validateTextColumns(column, parts)).getMessage());
        PipelineDefinition encoder = PipelineDefinition.read(pipeline(
                "\"textColumns\": {\"transcript\": {\"column\": \"text\", \"encoder\": \"gpt-9\"}}"), null);
        assertEquals("t.json: data.textColumns.transcript.encoder: unknown encoder 'gpt-9' (available: len)",
                assertThrows(InvalidInputException.class, () -> PipelineRunner.validateTextColumns(encoder, parts))
                        .getMessage());
        assertEquals("t.json: data.textColumns.transcript: unknown field 'col' (fields: column, encoder)",
                assertThrows(InvalidInputException.class, () -> PipelineDefinition.read(pipeline(
                        "\"textColumns\": {\"transcript\": {\"col\": \"text\", \"encoder\": \"len\"}}"), null))
                        .getMessage());
        assertEquals("t.json: data.textColumns.transcript: missing field 'encoder'",
                assertThrows(InvalidInputException.class, () -> PipelineDefinition.read(pipeline(
                        "\"textColumns\": {\"transcript\": {\"column\": \"text\"}}"), null)).getMessage());
    }
}
