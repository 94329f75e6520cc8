package org.nmodal.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * The demo posts' hashtags beyond the account's theme tag and the text's first theme word: a stance tag shared by
 * every account (so the modalities that carry the stance also predict it), a tag shared by a group of accounts
 * (predictable from whatever shows the account), now and then a noise tag that nothing in the post predicts, and
 * two tags that only one medium shows: a photo filter named after the image's saturation and brightness (six, seen
 * in the image only) and the video's light (three levels, or {@code timelapse} when it brightens or darkens with
 * the stance; seen in the video only). With the theme word, seen in the text only, every modality knows tags the
 * others cannot, so recommending from all of them beats any one. A random stream of its own, so adding tags changes
 * no pixel, frame or sound of the posts.
 */
final class DemoHashtags {
    private static final String[] PRO = {"loveit", "goodnews"};
    private static final String[] ANTI = {"notforme", "badnews"};
    /** Accounts 0..5 (tech, sport, food, travel, music, city) in three groups of two. */
    private static final String[] GROUP = {"innovation", "weekendvibes", "foodie", "weekendvibes", "livemusic",
        "innovation"};
    private static final String[] NOISE = {"tbt", "mood", "photooftheday", "follow", "instagood", "today", "random",
        "life"};

    /** By saturation (below or above 0.7), then value (three bins of [0.5, 0.8)). */
    private static final String[] FILTERS = {"gingham", "juno", "lark", "clarendon", "valencia", "ludwig"};
    private static final String[] LIGHT = {"nightshot", "goldenhour", "broaddaylight"};

    private DemoHashtags() {}

    /**
     * The post's tags: {@code base} (the theme and text tags) followed by the content-dependent and noise tags.
     *
     * @param look the image backdrop's saturation (0.3, 0.6 or 0.9) and value (0.4 to 0.85)
     * @param light the video's steady brightness in [0.5, 0.95), or negative when it changes with the stance
     */
    static List<String> of(List<String> base, int account, boolean pro, long seed, int post, double[] look,
            double light) {
        Random r = new Random(seed * 7_919L + 104_729L * post + 17);
        LinkedHashSet<String> tags = new LinkedHashSet<>(base);
        if (r.nextDouble() < 0.8) {
            tags.add((pro ? PRO : ANTI)[r.nextInt(2)]);
        }
        if (r.nextDouble() < 0.6) {
            tags.add(GROUP[account % GROUP.length]);
        }
        if (r.nextDouble() < 0.35) {
            tags.add(NOISE[r.nextInt(NOISE.length)]);
        }
        if (r.nextDouble() < 0.9) {
            tags.add(FILTERS[(look[0] < 0.7 ? 0 : 3) + Math.max(0, Math.min(2, (int) ((look[1] - 0.4) / 0.15)))]);
        }
        if (r.nextDouble() < 0.9) {
            tags.add(light < 0 ? "timelapse" : LIGHT[Math.min(2, (int) ((light - 0.5) / 0.15))]);
        }
        return new ArrayList<>(tags);
    }
}
