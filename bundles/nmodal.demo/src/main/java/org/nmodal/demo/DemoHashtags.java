package org.nmodal.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * The demo posts' hashtags beyond the account's theme tag and the text's first theme word: a stance tag shared by
 * every account (so the modalities that carry the stance also predict it), a tag shared by a group of accounts
 * (predictable from whatever shows the account), and now and then a noise tag that nothing in the post predicts.
 * A random stream of its own, so adding tags changes no pixel, frame or sound of the posts.
 */
final class DemoHashtags {
    private static final String[] PRO = {"loveit", "goodnews"};
    private static final String[] ANTI = {"notforme", "badnews"};
    /** Accounts 0..5 (tech, sport, food, travel, music, city) in three groups of two. */
    private static final String[] GROUP = {"innovation", "weekendvibes", "foodie", "weekendvibes", "livemusic",
        "innovation"};
    private static final String[] NOISE = {"tbt", "mood", "photooftheday", "follow", "instagood", "today", "random",
        "life"};

    private DemoHashtags() {}

    /** The post's tags: {@code base} (the theme and text tags) followed by the content-dependent and noise tags. */
    static List<String> of(List<String> base, int account, boolean pro, long seed, int post) {
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
        return new ArrayList<>(tags);
    }
}
