package org.nmodal.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.translator.TextEmbeddingTranslator;
import ai.djl.inference.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.encoder.text.MiniLm;

/**
 * Sentences per second of the MiniLM encoder through nmodal's encode path (what {@code nmodal:encode} and
 * pipelines call) and of the same ONNX model called directly through DJL with the same batch size.
 */
final class TextEncoderBench {
    private static final int SENTENCES = 512;
    private static final int BATCH = 32;
    private static final int ROUNDS = 5;

    private TextEncoderBench() {}

    static void run(Path root) throws Exception {
        Path modelDir = root.resolve("bundles/nmodal.encoder.text/target/classes/model");
        List<String> texts = sentences(SENTENCES);
        List<TextInput> inputs = texts.stream().map(TextInput::new).toList();
        Engine ort = Engine.getEngine("OnnxRuntime");

        MiniLm.Encoder nmodal = MiniLm.open(ort, modelDir, Map.of("batchSize", BATCH, "predictors", 1, "drainTimeoutMs", 1000L));
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(modelDir.resolve("all-minilm-l6-v2-tokenizer.json"))
                .optMaxLength(256).optTruncation(true).optPadding(true).build();
        try (Model raw = Model.newInstance("raw", Device.cpu(), "OnnxRuntime")) {
            raw.load(modelDir, "all-minilm-l6-v2");
            TextEmbeddingTranslator translator = TextEmbeddingTranslator.builder(tokenizer,
                    Map.of("pooling", "mean", "normalize", "true", "includeTokenTypes", "true")).build();
            try (Predictor<String, float[]> predictor = raw.newPredictor(translator)) {
                double[] viaNmodal = new double[ROUNDS];
                double[] viaDjl = new double[ROUNDS];
                double[] oneNmodal = new double[ROUNDS];
                double[] oneDjl = new double[ROUNDS];
                // one warm-up round each, then alternate so machine noise hits both sides alike
                batchNmodal(nmodal, inputs);
                batchDjl(predictor, texts);
                for (int r = 0; r < ROUNDS; r++) {
                    viaNmodal[r] = batchNmodal(nmodal, inputs);
                    viaDjl[r] = batchDjl(predictor, texts);
                    oneNmodal[r] = singleNmodal(nmodal, inputs.subList(0, 64));
                    oneDjl[r] = singleDjl(predictor, texts.subList(0, 64));
                }
                double bn = Bench.median(viaNmodal);
                double bd = Bench.median(viaDjl);
                double sn = Bench.median(oneNmodal);
                double sd = Bench.median(oneDjl);
                System.out.println();
                System.out.println("text encoder all-MiniLM-L6-v2 (ONNX Runtime, cpu), sentences/s, median of " + ROUNDS);
                System.out.println("  batched (" + BATCH + ")   nmodal " + Bench.f(bn) + "   raw DJL " + Bench.f(bd)
                        + "   ratio nmodal/raw " + Bench.f(bn / bd));
                System.out.println("  one at a time  nmodal " + Bench.f(sn) + "   raw DJL " + Bench.f(sd)
                        + "   ratio nmodal/raw " + Bench.f(sn / sd));
            }
        } finally {
            tokenizer.close();
            nmodal.close();
        }
    }

    private static double batchNmodal(ModalityEncoder encoder, List<TextInput> inputs) {
        long t0 = System.nanoTime();
        List<Encoding> out = encoder.encode(inputs);
        double s = (System.nanoTime() - t0) / 1e9;
        if (out.size() != inputs.size() || !out.get(out.size() - 1).ok()) {
            throw new IllegalStateException("nmodal encode failed");
        }
        return inputs.size() / s;
    }

    private static double batchDjl(Predictor<String, float[]> p, List<String> texts) throws Exception {
        long t0 = System.nanoTime();
        int n = 0;
        for (int from = 0; from < texts.size(); from += BATCH) {
            n += p.batchPredict(texts.subList(from, Math.min(texts.size(), from + BATCH))).size();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double singleNmodal(ModalityEncoder encoder, List<TextInput> inputs) throws Exception {
        long t0 = System.nanoTime();
        for (TextInput in : inputs) {
            encoder.encode(in);
        }
        return inputs.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double singleDjl(Predictor<String, float[]> p, List<String> texts) throws Exception {
        long t0 = System.nanoTime();
        for (String t : texts) {
            p.predict(t);
        }
        return texts.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Post-like sentences of varied length, the same every run. */
    static List<String> sentences(int n) {
        String[] subjects = {"the new phone", "our team", "this city", "the match", "my cat", "the concert",
            "the election", "a small cafe", "the launch", "the weather"};
        String[] verbs = {"looks", "felt", "was", "seems", "turned out", "is"};
        String[] rest = {"amazing tonight", "completely overrated if you ask me", "better than last year",
            "a total disaster from start to finish", "surprisingly good for the price", "worth every minute",
            "so loud we left early", "exactly what everyone expected"};
        Random random = new Random(42);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int clauses = 1 + random.nextInt(3);
            for (int c = 0; c < clauses; c++) {
                sb.append(c == 0 ? "" : " and ").append(subjects[random.nextInt(subjects.length)]).append(' ')
                        .append(verbs[random.nextInt(verbs.length)]).append(' ')
                        .append(rest[random.nextInt(rest.length)]);
            }
            out.add(sb.append(" #tag").append(random.nextInt(20)).toString());
        }
        return out;
    }
}
