package org.nmodal.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nmodal.api.data.Split;

/**
 * Precomputed features: a folder with {@code meta.csv} (one row per post: an id column — {@code id},
 * {@code utterance_id} or {@code row} — a split column and label columns) and one {@code <modality>.f32le.bin} per
 * modality, float32 little-endian, row-major, rows in the order of {@code meta.csv}. This is the layout of the
 * CMU-MOSI features in {@code ../shared/data/mosi}.
 */
public final class FeatureTable {
    /** File name ending of a modality's features. */
    public static final String SUFFIX = ".f32le.bin";

    private FeatureTable() {}

    /**
     * Reads a feature table.
     *
     * @param dir the folder
     * @param modalities modalities to read; empty reads every {@code *.f32le.bin}
     * @param splitColumn the meta.csv column holding train/dev/test
     * @param tasks label columns to read
     * @throws IOException naming the file and what is wrong with it
     */
    public static FeatureSet read(Path dir, List<String> modalities, String splitColumn, List<String> tasks)
            throws IOException {
        return read(dir, modalities, splitColumn, tasks, null);
    }

    /**
     * Reads a feature table whose posts also belong to groups (for example {@code video_id}: the utterances of one
     * video), for context features.
     *
     * @param groupColumn the meta.csv column naming each post's group, or null
     */
    public static FeatureSet read(Path dir, List<String> modalities, String splitColumn, List<String> tasks,
            String groupColumn) throws IOException {
        return read(dir, modalities.isEmpty() && Files.isDirectory(dir) ? available(dir) : modalities, splitColumn, tasks, groupColumn,
                Map.of());
    }

    /**
     * Reads a feature table some of whose modalities are raw text in {@code meta.csv} columns, still to be encoded:
     * their strings are in {@link FeatureSet#texts(String)} (null for an empty cell), and they get no vectors here.
     *
     * @param modalities modalities to read from {@code <modality>.f32le.bin} files (exactly these)
     * @param textColumns modality to the meta.csv column holding its text
     */
    public static FeatureSet read(Path dir, List<String> modalities, String splitColumn, List<String> tasks,
            String groupColumn, Map<String, String> textColumns) throws IOException {
        Path meta = dir.resolve("meta.csv");
        List<List<String>> rows = rows(meta);
        if (rows.size() < 2) {
            throw new IOException(meta + ": no data rows");
        }
        List<String> header = rows.get(0);
        Map<String, Integer> textCols = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : textColumns.entrySet()) {
            textCols.put(t.getKey(), column(header, meta, t.getValue()));
        }
        int idCol = column(header, meta, "id", "utterance_id", "row");
        int splitCol = column(header, meta, splitColumn);
        Map<String, Integer> taskCols = new LinkedHashMap<>();
        for (String t : tasks) {
            taskCols.put(t, column(header, meta, t));
        }
        int groupCol = groupColumn == null ? -1 : column(header, meta, groupColumn);
        int n = rows.size() - 1;
        String[] groups = groupCol < 0 ? null : new String[n];
        List<String> ids = new ArrayList<>(n);
        Split[] splits = new Split[n];
        Map<String, String[]> labels = new LinkedHashMap<>();
        taskCols.keySet().forEach(t -> labels.put(t, new String[n]));
        for (int i = 0; i < n; i++) {
            List<String> r = rows.get(i + 1);
            if (r.size() != header.size()) {
                throw new IOException(meta + ":" + (i + 2) + ": " + r.size() + " fields, the header has " + header.size());
            }
            ids.add(r.get(idCol));
            if (groups != null) {
                groups[i] = r.get(groupCol);
            }
            try {
                splits[i] = Split.parse(r.get(splitCol));
            } catch (IllegalArgumentException e) {
                throw new IOException(meta + ":" + (i + 2) + ": " + e.getMessage());
            }
            for (Map.Entry<String, Integer> t : taskCols.entrySet()) {
                String v = r.get(t.getValue()).trim();
                labels.get(t.getKey())[i] = v.isEmpty() ? null : v;
            }
        }
        FeatureSet set = new FeatureSet(ids, splits, labels);
        set.groups(groups);
        for (Map.Entry<String, Integer> t : textCols.entrySet()) {
            String[] texts = new String[n];
            for (int i = 0; i < n; i++) {
                String v = rows.get(i + 1).get(t.getValue());
                texts[i] = v.isBlank() ? null : v;
            }
            set.texts(t.getKey(), texts);
        }
        for (String m : modalities) {
            Path file = dir.resolve(m + SUFFIX);
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + ": no such file (modalities here: " + available(dir) + ")");
            }
            long bytes = Files.size(file);
            if (bytes == 0 || bytes % (4L * n) != 0) {
                throw new IOException(file + ": " + bytes + " bytes is not " + n + " rows of float32");
            }
            int d = (int) (bytes / (4L * n));
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            float[][] v = new float[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    v[i][j] = buf.getFloat();
                }
            }
            set.put(m, d, v);
        }
        return set;
    }

    /**
     * One meta.csv column, a value per row (blank: null), for example each post's cross-validation fold.
     *
     * @throws IOException naming the file and the columns it has when the column is missing
     */
    public static String[] column(Path dir, String name) throws IOException {
        Path meta = dir.resolve("meta.csv");
        List<List<String>> rows = rows(meta);
        if (rows.isEmpty()) {
            throw new IOException(meta + ": empty");
        }
        int col = column(rows.get(0), meta, name);
        String[] out = new String[rows.size() - 1];
        for (int i = 0; i < out.length; i++) {
            List<String> r = rows.get(i + 1);
            String v = col < r.size() ? r.get(col).trim() : "";
            out[i] = v.isEmpty() ? null : v;
        }
        return out;
    }

    /** The columns of a feature table's {@code meta.csv}, in order. */
    public static List<String> columns(Path dir) throws IOException {
        List<List<String>> rows = rows(dir.resolve("meta.csv"));
        return rows.isEmpty() ? List.of() : List.copyOf(rows.get(0));
    }

    private static List<List<String>> rows(Path meta) throws IOException {
        if (!Files.isRegularFile(meta)) {
            throw new IOException(meta + ": no such file (a feature table needs meta.csv)");
        }
        try (BufferedReader in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            return Csv.read(in);
        }
    }

    /** Modalities that have a features file in the folder, sorted. */
    public static List<String> available(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(SUFFIX))
                    .map(f -> f.substring(0, f.length() - SUFFIX.length())).sorted().toList();
        }
    }

    private static int column(List<String> header, Path meta, String... names) throws IOException {
        for (String name : names) {
            int i = header.indexOf(name);
            if (i >= 0) {
                return i;
            }
        }
        throw new IOException(meta + ": no column " + String.join(" or ", names) + " (columns: " + header + ")");
    }
}
