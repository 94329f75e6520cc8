package org.nmodal.encoder.text.transformer;

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
 * A sentence-embedding transformer on ONNX Runtime: tokenise, run, pool ({@code mean} over real tokens or
 * {@code cls}, the first token), L2-normalise. The folder holds {@code <stem>.onnx} and
 * {@code <stem>-tokenizer.json} (the layout of the langchain4j embedding jars the models come from).
 * Thread-safe: DJL predictors are not, so each call borrows one from a small pool.
 */
public final class TransformerModel implements AutoCloseable {
    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private final BlockingQueue<Predictor<String, float[]>> predictors;
    private final List<Predictor<String, float[]>> all = new ArrayList<>();
    private final int batchSize;

    /**
     * @param dir folder holding {@code <stem>.onnx} and {@code <stem>-tokenizer.json}
     * @param stem the model files' common name
     * @param pooling {@code mean} or {@code cls}
     * @param device where ONNX Runtime runs
     * @param maxTokens longer texts are truncated
     * @param batchSize texts per forward pass
     * @param poolSize predictors, i.e. calls that can run at once
     * @param intraOpThreads ONNX Runtime threads per call, 0 for its default
     */
    public TransformerModel(Path dir, String stem, String pooling, Device device, int maxTokens, int batchSize,
            int poolSize, int intraOpThreads) throws IOException, MalformedModelException {
        this.batchSize = Math.max(1, batchSize);
        tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(dir.resolve(tokenizerFile(stem)))
                .optMaxLength(maxTokens)
                .optTruncation(true)
                .optPadding(true)
                .build();
        Model m = Model.newInstance(stem, device, "OnnxRuntime");
        try {
            m.load(dir, stem, intraOpThreads > 0
                    ? Map.of("intraOpNumThreads", Integer.toString(intraOpThreads)) : Map.of());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            tokenizer.close();
            throw e;
        }
        model = m;
        TextEmbeddingTranslator translator = TextEmbeddingTranslator
                .builder(tokenizer, Map.of("pooling", pooling, "normalize", "true", "includeTokenTypes", "true"))
                .build();
        predictors = new ArrayBlockingQueue<>(Math.max(1, poolSize));
        for (int i = 0; i < Math.max(1, poolSize); i++) {
            Predictor<String, float[]> p = model.newPredictor(translator);
            all.add(p);
            predictors.add(p);
        }
    }

    /** The ONNX file of a model. */
    public static String modelFile(String stem) {
        return stem + ".onnx";
    }

    /** The tokenizer file of a model. */
    public static String tokenizerFile(String stem) {
        return stem + "-tokenizer.json";
    }

    /** Embeds texts in batches of the configured size. */
    public List<float[]> embed(List<String> texts) throws TranslateException, InterruptedException {
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
