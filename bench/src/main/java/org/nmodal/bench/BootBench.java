package org.nmodal.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Boot time of the real launcher, from JVM start until every bundle is active, read from {@code nmodal:boot}.
 * Cold: an empty work folder (Felix fills its bundle cache; the launcher writes its CDS archive at the end). Warm:
 * the same folder again. The DJL engines start on first use, not at boot, so their cost is measured apart: the wall
 * time of a one-shot {@code nmodal:engines} (which starts them) minus that of a one-shot {@code nmodal:boot}.
 */
final class BootBench {
    private static final Pattern MS = Pattern.compile("all bundles active after (\\d+) ms");

    private BootBench() {}

    static void run(Path root) throws Exception {
        Path work = root.resolve("bench/target/boot-work");
        deleteTree(work);
        double cold = boot(root, work);
        double[] warm = new double[5];
        for (int i = 0; i < warm.length; i++) {
            warm[i] = boot(root, work);
        }
        double[] bootWall = new double[3];
        double[] enginesWall = new double[3];
        for (int i = 0; i < bootWall.length; i++) {
            bootWall[i] = wall(root, work, "nmodal:boot");
            enginesWall[i] = wall(root, work, "nmodal:engines");
        }
        StringBuilder runs = new StringBuilder();
        for (double w : warm) {
            runs.append(runs.length() == 0 ? "" : ", ").append((long) w);
        }
        System.out.println();
        System.out.println("boot: JVM start -> all bundles active (runtime/nmodal exec nmodal:boot)");
        System.out.println("  cold (empty work folder)             " + (long) cold + " ms");
        System.out.println("  warm (median of " + warm.length + ")                   " + (long) Bench.median(warm)
                + " ms   goal <= 2000 ms   (" + runs + ")");
        System.out.println("  DJL engines on first use             +" + (long) (Bench.median(enginesWall)
                - Bench.median(bootWall)) + " ms   (wall: exec nmodal:engines - exec nmodal:boot, medians of "
                + bootWall.length + ")");
    }

    private static double boot(Path root, Path work) throws IOException, InterruptedException {
        String out = exec(root, work, "nmodal:boot");
        Matcher m = MS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no boot time in:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double wall(Path root, Path work, String command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        exec(root, work, command);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String exec(Path root, Path work, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("runtime/nmodal").toString(), "exec", command);
        pb.environment().put("NMODAL_WORK", work.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("runtime/nmodal exec " + command + " failed:\n" + out);
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
