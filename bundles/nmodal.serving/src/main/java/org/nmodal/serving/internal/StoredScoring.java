package org.nmodal.serving.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.api.serving.Answer;
import org.nmodal.api.serving.PostAnswer;
import org.nmodal.api.serving.StoredModel;
import org.nmodal.api.serving.VersionInfo;
import org.nmodal.assembly.EncoderLease;
import org.nmodal.features.Features;

/**
 * A stored version scoring posts in batches, outside serving: each modality of a batch goes through its encoder in
 * one guarded call, then the version's heads, fusion and classifier score the batch together. The per-post rules
 * are {@link LivePipeline#predict}'s (an input that cannot be used is skipped with a line; a post with none left
 * is an error), so a post gets the answer serving gives it with this version.
 */
final class StoredScoring implements StoredModel {
    private final ModelVersion version;
    private final PipelineSpec spec;
    private final LivePipeline.Runtime runtime;

    private StoredScoring(ModelVersion version, PipelineSpec spec, LivePipeline.Runtime runtime) {
        this.version = version;
        this.spec = spec;
        this.runtime = runtime;
    }

    /** Reads the version folder and checks it belongs to the pipeline; a bad one is one line. */
    static StoredScoring open(Path dir, PipelineSpec spec, LivePipeline.Runtime runtime) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(d.resolve("model.json"))) {
            throw new InvalidInputException(d + ": not a stored model version (no model.json; versions are the "
                    + "folders trained/<pipeline id>/v<N> of a work folder)");
        }
        ModelVersion v;
        try {
            v = ModelVersion.load(d, name -> runtime.parts().classifier(name, "classifier of " + d.getFileName()));
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(d + ": not a readable model version (" + e.getMessage() + ")");
        }
        if (!v.pipeline.equals(spec.id())) {
            throw new InvalidInputException(d + ": a version of pipeline '" + v.pipeline + "', not of '" + spec.id()
                    + "'");
        }
        if (!v.fusion.equals(spec.fusion())) {
            throw new InvalidInputException(d + ": trained with fusion '" + v.fusion + "', the pipeline file names '"
                    + spec.fusion() + "'");
        }
        return new StoredScoring(v, spec, runtime);
    }

    @Override
    public String pipeline() {
        return version.pipeline;
    }

    @Override
    public VersionInfo info() {
        return version.info();
    }

    @Override
    public Map<String, List<String>> classes() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        version.tasks.forEach(t -> out.put(t.task(), t.classes()));
        return out;
    }

    @Override
    public List<PostAnswer> predict(List<Post> posts) {
        long t0 = System.nanoTime();
        int n = posts.size();
        List<Map<String, float[]>> raw = new ArrayList<>();
        List<List<String>> skipped = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            raw.add(new LinkedHashMap<>());
            skipped.add(new ArrayList<>());
        }
        for (ModelVersion.Part part : version.parts) {
            List<Integer> which = new ArrayList<>();
            List<ModalityInput> inputs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ModalityInput in = posts.get(i).input(part.modality()).orElse(null);
                if (in != null) {
                    which.add(i);
                    inputs.add(in);
                }
            }
            if (inputs.isEmpty()) {
                continue;
            }
            try (EncoderLease lease = runtime.parts().lease(part.encoder())) {
                String why = lease == null ? "encoder " + part.encoder() + " is not running"
                        : !lease.encoder().version().equals(part.encoderVersion()) ? "encoder " + part.encoder()
                                + " now gives version " + lease.encoder().version() + ", the model was trained on "
                                + part.encoderVersion() : null;
                if (why != null) {
                    which.forEach(i -> skipped.get(i).add(part.modality() + ": " + why));
                    continue;
                }
                List<Encoding> out = runtime.features().encode(lease.encoder(), part.encoder(), inputs,
                        spec.encodeTimeoutMs());
                for (int k = 0; k < inputs.size(); k++) {
                    int i = which.get(k);
                    if (out.get(k).ok()) {
                        raw.get(i).put(part.modality(), out.get(k).vector());
                    } else {
                        skipped.get(i).add(part.modality() + ": " + Features.describe(inputs.get(k),
                                out.get(k).error()));
                    }
                }
            }
        }
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!raw.get(i).isEmpty()) {
                usable.add(i);
            }
        }
        Map<String, ModelVersion.Scores> scores = usable.isEmpty() ? Map.of()
                : version.score(runtime.engine(), runtime.parts().fusion(spec.fusion(), "fusion"),
                        spec.fusionSettings(), usable.stream().map(raw::get).toList());
        double millis = (System.nanoTime() - t0) / 1e6 / Math.max(1, n);
        List<PostAnswer> answers = new ArrayList<>();
        int row = 0;
        for (int i = 0; i < n; i++) {
            Post post = posts.get(i);
            if (raw.get(i).isEmpty()) {
                List<String> s = skipped.get(i);
                // the line serving answers such a post with (an HTTP 400 there)
                answers.add(new PostAnswer(post.id(), null, "the post has no usable input for "
                        + version.modalities() + (s.isEmpty() ? " (fields: " + String.join(", ",
                                version.modalities()) + ")" : ": " + s.get(0))));
                continue;
            }
            List<String> used = version.modalities().stream().filter(raw.get(i)::containsKey).toList();
            ModelVersion.Prediction p = version.prediction(scores, row++, used);
            answers.add(new PostAnswer(post.id(), new Answer(version.pipeline, p.version(), p.modalities(),
                    p.labels(), p.probabilities(), skipped.get(i), millis), null));
        }
        version.served.addAndGet(usable.size());
        return answers;
    }
}
