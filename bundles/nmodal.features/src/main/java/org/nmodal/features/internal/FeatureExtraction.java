package org.nmodal.features.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.pipeline.EncoderFailure;
import org.nmodal.api.pipeline.EncoderHealth;
import org.nmodal.api.pipeline.WorkFolder;
import org.nmodal.features.Features;
import org.nmodal.data.FeatureCache;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Guarded encoder calls and cached feature extraction; also publishes what encoders did wrong
 * ({@link EncoderHealth}). It owns the guard's threads and stops them when it goes.
 */
@Component(service = {Features.class, EncoderHealth.class})
public final class FeatureExtraction implements Features, EncoderHealth {
    private static final int BATCH = 32;
    private final EncoderGuard guard = new EncoderGuard();
    private final FeatureCache cache;

    /** Extraction with the feature cache of the work folder. */
    @Activate
    public FeatureExtraction(BundleContext context) {
        // the work folder as nmodal.assembly finds it: the nmodal.work property, else this bundle's data area
        this(new FeatureCache(new WorkFolder(context.getProperty("nmodal.work") != null
                ? Path.of(context.getProperty("nmodal.work")) : context.getDataFile("work").toPath()).cache()));
    }

    /** Extraction over a given cache, outside a framework. */
    public FeatureExtraction(FeatureCache cache) {
        this.cache = cache;
    }

    /** Stops the guard's threads. */
    @Deactivate
    public void close() {
        guard.close();
    }

    @Override
    public List<Encoding> encode(ModalityEncoder encoder, String name, List<? extends ModalityInput> inputs,
            long timeoutMs) {
        return guard.encode(encoder, name, inputs, timeoutMs);
    }

    @Override
    public Map<String, EncoderFailure> failures() {
        return guard.failures();
    }

    @Override
    public float[][] extract(List<Post> posts, String m, ModalityEncoder encoder, Consumer<String> errors,
            Consumer<String> progress, Consumer<String> log, long timeoutMs) throws IOException {
        String key = FeatureCache.key(encoder.version(), encoder.name() + "/" + encoder.dimension());
        Map<String, float[]> cached = cache.load(encoder.name(), key);
        float[][] vectors = new float[posts.size()][];
        String[] entries = new String[posts.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            ModalityInput input = posts.get(i).input(m).orElse(null);
            if (input == null) {
                continue;
            }
            entries[i] = FeatureCache.entry(posts.get(i).id(), input);
            float[] v = cached.get(entries[i]);
            if (v != null && v.length == encoder.dimension()) {
                vectors[i] = v;
            } else {
                todo.add(i);
            }
        }
        long t0 = System.nanoTime();
        for (int from = 0; from < todo.size(); from += BATCH) {
            List<Integer> chunk = todo.subList(from, Math.min(todo.size(), from + BATCH));
            List<ModalityInput> inputs = chunk.stream().map(i -> posts.get(i).input(m).orElseThrow()).toList();
            // a misbehaving encoder fails its own inputs, with a line naming it, never the run
            List<Encoding> out = guard.encode(encoder, encoder.name(), inputs, timeoutMs);
            for (int k = 0; k < chunk.size(); k++) {
                int i = chunk.get(k);
                if (out.get(k).ok()) {
                    vectors[i] = out.get(k).vector();
                    cached.put(entries[i], vectors[i]);
                } else {
                    errors.accept("post " + posts.get(i).id() + ": " + m + " "
                            + Features.describe(inputs.get(k), out.get(k).error()) + "; the post goes on without " + m);
                }
            }
            progress.accept(m + " " + Math.min(todo.size(), from + BATCH) + "/" + todo.size());
        }
        if (!todo.isEmpty()) {
            cache.store(encoder.name(), key, cached);
        }
        long present = Arrays.stream(entries).filter(Objects::nonNull).count();
        log.accept(String.format(Locale.ROOT, "%s: %s, %d from cache, %d encoded in %.1f s", m, encoder.name(),
                present - todo.size(), todo.size(), (System.nanoTime() - t0) / 1e9));
        return vectors;
    }
}
