package org.nmodal.fusion.sentiformer.internal;

import java.util.Map;
import org.nmodal.api.Settings;
import org.nmodal.api.fusion.FusionTraining;

/**
 * The fusion's settings from the pipeline file, checked. Roles: {@code query} (default {@code caption}),
 * {@code prompt} ({@code prompt}) and {@code image} ({@code image}) name the modalities that play the paper's caption,
 * prompt and image streams. Shape (sized for a few thousand posts rather than the paper's 128-d, 8 tokens, depth 4):
 * {@code width} 64, {@code tokens} 4 per stream, {@code heads} 4, {@code depth} 2 relevance layers, {@code layers} 1
 * cross-transformer layer, {@code dropout} 0.3 (tokens, attention and feed-forward outputs), {@code inputDropout} 0.3
 * (the standardised input vectors), {@code residual} true (the query stream's own linear head added to the scores).
 * Training: {@code epochs} 100, {@code batch} 32, {@code lr} 5e-4, {@code weightDecay} 0.01, {@code patience} 15,
 * {@code holdout} 0.15.
 */
record SentiFormerSettings(String query, String prompt, String image, int width, int tokens, int heads, int depth,
        int layers, float dropout, float inputDropout, boolean residual, FusionTraining training) {

    static SentiFormerSettings read(Map<String, ?> values) {
        Settings s = new Settings("fusion sentiformer", values);
        SentiFormerSettings out;
        try {
            out = new SentiFormerSettings(s.text("query", "caption"), s.text("prompt", "prompt"),
                    s.text("image", "image"), s.integer("width", 64), s.integer("tokens", 4), s.integer("heads", 4),
                    s.integer("depth", 2), s.integer("layers", 1), (float) s.number("dropout", 0.3),
                    (float) s.number("inputDropout", 0.3), s.flag("residual", true),
                    new FusionTraining(s.integer("epochs", 100), s.integer("batch", 32), s.number("lr", 5e-4),
                            s.number("weightDecay", 0.01), s.integer("patience", 15), s.number("holdout", 0.15)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("fusion") ? e.getMessage()
                    : "fusion sentiformer: " + e.getMessage());
        }
        s.checkAllUsed();
        if (out.width < 2 || out.tokens < 1 || out.heads < 1 || out.width % out.heads != 0 || out.depth < 0
                || out.layers < 0 || out.dropout < 0 || out.dropout >= 1 || out.inputDropout < 0 || out.inputDropout >= 1) {
            throw new IllegalArgumentException("fusion sentiformer: need width >= 2 divisible by heads, tokens >= 1, "
                    + "depth >= 0, layers >= 0 and 0 <= dropout, inputDropout < 1");
        }
        return out;
    }
}
