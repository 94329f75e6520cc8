package org.nmodal.encoder.text.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.translator.TextEmbeddingTranslator;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * all-MiniLM-L6-v2 on ONNX Runtime: tokenise, run, mean-pool over real tokens, L2-normalise.
 * Thread-safe: DJL predictors are not, so each call borrows one from a small pool.
 */
final class MiniLmModel implements AutoCloseable {
    static final String MODEL_FILE = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER_FILE = "all-minilm-l6-v2-tokenizer.json";
    static final int DIMENSION = 384;

    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private final BlockingQueue<Predictor<String, float[]>> predictors;
    private final List<Predictor<String, float[]>> all = new ArrayList<>();
    private final int batchSize;

    /**
     * @param dir folder holding {@link #MODEL_FILE} and {@link #TOKENIZER_FILE}
     * @param device where ONNX Runtime runs
     * @param maxTokens longer texts are truncated (the model was trained with 256)
     * @param batchSize texts per forward pass
     * @param poolSize predictors, i.e. calls that can run at once
     * @param intraOpThreads ONNX Runtime threads per call, 0 for its default
     */
    MiniLmModel(Path dir, Device device, int maxTokens, int batchSize, int poolSize, int intraOpThreads)
            throws IOException, MalformedModelException {
        this.batchSize = Math.max(1, batchSize);
        tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(dir.resolve(TOKENIZER_FILE))
                .optMaxLength(maxTokens)
                .optTruncation(true)
                .optPadding(true)
                .build();
        Model m = Model.newInstance("all-minilm-l6-v2", device, "OnnxRuntime");
        try {
            m.load(dir, "all-minilm-l6-v2", intraOpThreads > 0
                    ? Map.of("intraOpNumThreads", Integer.toString(intraOpThreads)) : Map.of());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            tokenizer.close();
            throw e;
        }
        model = m;
        TextEmbeddingTranslator translator = TextEmbeddingTranslator
                .builder(tokenizer, Map.of("pooling", "mean", "normalize", "true", "includeTokenTypes", "true"))
                .build();
        predictors = new ArrayBlockingQueue<>(Math.max(1, poolSize));
        for (int i = 0; i < Math.max(1, poolSize); i++) {
            Predictor<String, float[]> p = model.newPredictor(translator);
            all.add(p);
            predictors.add(p);
        }
    }

    /** Embeds texts in batches of the configured size. */
    List<float[]> embed(List<String> texts) throws TranslateException, InterruptedException {
        Predictor<String, float[]> p = predictors.take();
        try {
            List<float[]> out = new ArrayList<>(texts.size());
            for (int from = 0; from < texts.size(); from += batchSize) {
                List<String> chunk = texts.subList(from, Math.min(texts.size(), from + batchSize));
                out.addAll(chunk.size() == 1 ? List.of(p.predict(chunk.get(0))) : p.batchPredict(chunk));
            }
            return out;
        } finally {
            predictors.add(p);
        }
    }

    @Override
    public void close() {
        all.forEach(Predictor::close);
        model.close();
        tokenizer.close();
    }
}
