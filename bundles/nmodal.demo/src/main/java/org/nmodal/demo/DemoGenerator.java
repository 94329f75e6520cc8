package org.nmodal.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nmodal.api.media.AudioClip;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.api.media.MediaException;
import org.nmodal.api.media.MediaWriter;

/**
 * Generates the demo data set: synthetic social-media posts from several accounts, each with a text, a PNG image
 * and a short MP4 video with a sound track, hashtags and metadata, labelled with {@code stance} (pro/anti) and
 * {@code account}.
 *
 * <p>The evidence is spread on purpose. Every post's stance shows in one or two of its four modalities (a phrase in
 * the text, the orientation of stripes in the image, the video growing brighter or darker, the pitch of the sound
 * gliding up or down), never in all, so a single modality is right about 7 times in 10 while the modalities
 * together almost always have a clue. The account shows in every modality (theme words and hashtag, hue, motion
 * speed, tone), so contrastive alignment has shared content to learn; and every post has content of its own
 * ({@link DemoContent}: an object drawn in the image and the video and named in the text), so retrieval of one post's
 * modalities from another's means something. A few videos are cut short on purpose, to
 * show how bad media is reported. Everything follows from the seed; the folder appears only when complete.
 */
public final class DemoGenerator {
    /**
     * @param posts number of posts
     * @param accounts number of accounts (at most 6)
     * @param corrupt number of posts whose video is truncated on purpose
     * @param seed seed of everything
     */
    public record Settings(int posts, int accounts, int corrupt, long seed) {
        /** The default demo set. */
        public static final Settings DEFAULT = new Settings(2000, 6, 4, 7);
    }

    static final String[] THEMES = {"tech", "sport", "food", "travel", "music", "city"};
    private static final String[][] THEME_WORDS = {
        {"phone", "laptop", "chip", "update", "battery", "screen", "app", "robot"},
        {"match", "goal", "team", "coach", "season", "league", "striker", "final"},
        {"recipe", "pasta", "bakery", "spice", "dinner", "noodles", "cheese", "soup"},
        {"flight", "beach", "hotel", "island", "passport", "train", "mountain", "harbour"},
        {"album", "concert", "guitar", "singer", "playlist", "festival", "drummer", "chorus"},
        {"subway", "park", "mayor", "bridge", "traffic", "museum", "market", "tower"}};
    private static final String[] PRO = {"I love this", "absolutely brilliant", "fully support it", "great news",
        "best thing this year", "so happy about this", "a big step forward", "wonderful"};
    private static final String[] ANTI = {"I hate this", "absolutely terrible", "strongly oppose it", "awful news",
        "worst thing this year", "so angry about this", "a big step backwards", "dreadful"};
    private static final String[] NEUTRAL = {"saw this today", "here is an update", "some thoughts on", "posting about",
        "a quick note on", "news about", "reading about", "look at"};
    static final int IMAGE = 64;
    static final int VIDEO = 48;
    static final int FRAMES = 20;
    static final double FPS = 10;
    static final int RATE = 16_000;

    private DemoGenerator() {}

    /**
     * Writes the data set into {@code dir}, which must not exist yet: it is built beside it and moved into place.
     *
     * @return the folder written
     */
    public static Path generate(Path dir, Settings s, MediaWriter writer, Consumer<String> log)
            throws IOException, MediaException {
        if (Files.exists(dir)) {
            throw new IOException(dir + ": already exists");
        }
        if (s.accounts() < 2 || s.accounts() > THEMES.length || s.posts() < 10) {
            throw new IllegalArgumentException("demo: need 2..6 accounts and at least 10 posts");
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".part");
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(tmp.resolve("img"));
            Files.createDirectories(tmp.resolve("vid"));
            List<JsonObject> lines = new ArrayList<>();
            for (int i = 0; i < s.posts(); i++) {
                lines.add(null);
            }
            int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    int worker = w;
                    jobs.add(pool.submit(() -> {
                        for (int i = worker; i < s.posts(); i += threads) {
                            lines.set(i, post(tmp, i, s, writer));
                        }
                        return null;
                    }));
                }
                for (Future<?> job : jobs) {
                    job.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("demo generation interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof MediaException me) {
                    throw me;
                }
                throw new IOException("demo generation failed: " + c, c);
            } finally {
                pool.shutdownNow();
            }
            try (Writer out = Files.newBufferedWriter(tmp.resolve("posts.jsonl"), StandardCharsets.UTF_8)) {
                for (JsonObject line : lines) {
                    out.write(line.toString());
                    out.write('\n');
                }
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            log.accept(String.format(java.util.Locale.ROOT, "demo: %d posts from %d accounts written to %s in %.1f s",
                    s.posts(), s.accounts(), dir, (System.nanoTime() - t0) / 1e9));
            return dir;
        } finally {
            if (Files.exists(tmp)) {
                try (Stream<Path> files = Files.walk(tmp)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static JsonObject post(Path dir, int i, Settings s, MediaWriter writer) throws IOException, MediaException {
        Random r = new Random(s.seed() * 1_000_003L + i);
        int account = r.nextInt(s.accounts());
        boolean pro = r.nextBoolean();
        // the stance shows in one or two of text, image, video, audio, never in all of them
        boolean[] carries = new boolean[4];
        int k = r.nextDouble() < 0.4 ? 1 : 2;
        while (k > 0) {
            int m = r.nextInt(4);
            if (!carries[m]) {
                carries[m] = true;
                k--;
            }
        }
        double u = r.nextDouble();
        String split = u < 0.6 ? "train" : u < 0.7 ? "dev" : "test";
        String id = String.format(java.util.Locale.ROOT, "p%05d", i);

        String[] words = THEME_WORDS[account];
        List<String> hashtags = new ArrayList<>(List.of(THEMES[account]));
        StringBuilder text = new StringBuilder();
        text.append(carries[0] ? (pro ? PRO : ANTI)[r.nextInt(PRO.length)] : NEUTRAL[r.nextInt(NEUTRAL.length)]);
        for (int w = 0; w < 3; w++) {
            String word = words[r.nextInt(words.length)];
            text.append(' ').append(word);
            if (w == 0) {
                hashtags.add(word);
            }
        }
        text.append(" #").append(THEMES[account]);
        DemoContent content = DemoContent.of(s.seed(), i);
        text.append(". ").append(content.description());

        // the filter hashtag names the backdrop's look (also named in the text)
        double[] look = {DemoContent.SATURATIONS[content.saturation()], DemoContent.VALUES[content.tone()]};
        writer.png(dir.resolve("img/" + id + ".png"), content.paint(image(r, account, carries[1], pro, content)));
        Path video = dir.resolve("vid/" + id + ".mp4");
        double[] light = new double[1];
        writer.mp4(video, frames(r, account, carries[2], pro, content, light), FPS, sound(r, account, carries[3], pro));
        if (i < s.corrupt()) {
            byte[] all = Files.readAllBytes(video);
            Files.write(video, java.util.Arrays.copyOf(all, all.length / 3));
        }

        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("text", text.toString());
        o.addProperty("image", "img/" + id + ".png");
        o.addProperty("video", "vid/" + id + ".mp4");
        o.addProperty("audio", "vid/" + id + ".mp4");
        JsonObject meta = new JsonObject();
        JsonArray tags = new JsonArray();
        DemoHashtags.of(hashtags, account, pro, s.seed(), i, look, carries[2] ? -1 : light[0]).forEach(tags::add);
        meta.add("hashtags", tags);
        meta.addProperty("account", "@" + THEMES[account] + "_daily");
        meta.addProperty("timestamp", java.time.Instant.ofEpochSecond(1_700_000_000L + 3_600L * i).toString());
        DemoMetadata.add(meta, s.seed(), i, account, pro);
        o.add("meta", meta);
        JsonObject labels = new JsonObject();
        labels.addProperty("stance", pro ? "pro" : "anti");
        labels.addProperty("account", THEMES[account]);
        o.add("labels", labels);
        o.addProperty("split", split);
        return o;
    }

    /**
     * Account hue, the post's backdrop ({@link DemoContent#tone()}, {@link DemoContent#saturation()}); stance as horizontal
     * (pro) or vertical (anti) stripes, or scattered blobs when it does not show.
     */
    private static DecodedImage image(Random r, int account, boolean carries, boolean pro, DemoContent content) {
        double degrees = account * 60 + r.nextInt(20) - 10;
        // drawn as before the backdrop was named, so the rest of the post's stream is unchanged
        r.nextDouble();
        r.nextDouble();
        int[] base = hue(degrees, DemoContent.SATURATIONS[content.saturation()], DemoContent.VALUES[content.tone()]);
        byte[] rgb = new byte[3 * IMAGE * IMAGE];
        int period = 6 + r.nextInt(5);
        int[][] blobs = new int[5][3];
        for (int[] b : blobs) {
            b[0] = r.nextInt(IMAGE);
            b[1] = r.nextInt(IMAGE);
            b[2] = 4 + r.nextInt(8);
        }
        for (int y = 0; y < IMAGE; y++) {
            for (int x = 0; x < IMAGE; x++) {
                boolean light;
                if (carries) {
                    light = ((pro ? y : x) / period) % 2 == 0;
                } else {
                    light = false;
                    for (int[] b : blobs) {
                        light |= (x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1]) < b[2] * b[2];
                    }
                }
                int o = 3 * (y * IMAGE + x);
                for (int c = 0; c < 3; c++) {
                    int v = light ? (base[c] + 255) / 2 : base[c];
                    rgb[o + c] = (byte) clamp(v + (int) (r.nextGaussian() * 12));
                }
            }
        }
        return new DecodedImage(IMAGE, IMAGE, rgb, 0);
    }

    /**
     * Account hue and the speed of the post's first object ({@link DemoContent}) moving through, its second object
     * still; stance as brightening (pro) or darkening (anti), else a steady level (to {@code light}, for its light
     * hashtag).
     */
    private static List<DecodedImage> frames(Random r, int account, boolean carries, boolean pro, DemoContent content,
            double[] light) {
        int[] base = hue(account * 60 + 30 + r.nextInt(20) - 10, 0.6, 0.85);
        double speed = 0.5 + 0.4 * account;
        double start = 0.45 + 0.1 * r.nextDouble();
        double level = 0.5 + 0.45 * r.nextDouble();
        light[0] = level;
        double sx = r.nextInt(VIDEO);
        double sy = r.nextInt(VIDEO);
        double angle = r.nextDouble() * 2 * Math.PI;
        List<DecodedImage> out = new ArrayList<>(FRAMES);
        for (int t = 0; t < FRAMES; t++) {
            double p = t / (double) (FRAMES - 1);
            double bright = carries ? (pro ? start + 0.5 * p : start + 0.5 - 0.5 * p) : level;
            int qx = (int) ((sx + Math.cos(angle) * speed * t * 2) % VIDEO + VIDEO) % VIDEO;
            int qy = (int) ((sy + Math.sin(angle) * speed * t * 2) % VIDEO + VIDEO) % VIDEO;
            byte[] rgb = new byte[3 * VIDEO * VIDEO];
            for (int y = 0; y < VIDEO; y++) {
                for (int x = 0; x < VIDEO; x++) {
                    int o = 3 * (y * VIDEO + x);
                    for (int c = 0; c < 3; c++) {
                        int v = base[c];
                        rgb[o + c] = (byte) clamp((int) (v * bright) + (int) (r.nextGaussian() * 6));
                    }
                }
            }
            DecodedImage frame = new DecodedImage(VIDEO, VIDEO, rgb, t / FPS);
            content.paintFrame(frame, qx, qy, bright);
            out.add(frame);
        }
        return out;
    }

    /** Account tone; stance as a pitch glide up (pro) or down (anti), else a steady tone. */
    private static AudioClip sound(Random r, int account, boolean carries, boolean pro) {
        int n = (int) (RATE * FRAMES / FPS);
        float[] pcm = new float[n];
        double f0 = 180 + 70 * account;
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double p = i / (double) n;
            double f = carries ? f0 * (pro ? 1 + 0.6 * p : 1.6 - 0.6 * p) : f0 * 1.3;
            phase += 2 * Math.PI * f / RATE;
            pcm[i] = (float) (0.35 * Math.sin(phase) + 0.05 * r.nextGaussian());
        }
        return new AudioClip(RATE, pcm);
    }

    private static int[] hue(double degrees, double saturation, double value) {
        double h = ((degrees % 360) + 360) % 360 / 60;
        double c = value * saturation;
        double x = c * (1 - Math.abs(h % 2 - 1));
        double m = value - c;
        double[] rgb = h < 1 ? new double[] {c, x, 0} : h < 2 ? new double[] {x, c, 0} : h < 3
                ? new double[] {0, c, x} : h < 4 ? new double[] {0, x, c} : h < 5 ? new double[] {x, 0, c}
                : new double[] {c, 0, x};
        return new int[] {(int) ((rgb[0] + m) * 255), (int) ((rgb[1] + m) * 255), (int) ((rgb[2] + m) * 255)};
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
