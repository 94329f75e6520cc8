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
 * Cold: an empty work folder (DJL extracts its natives, Felix fills its bundle cache). Warm: the same folder again.
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
        System.out.println();
        System.out.println("boot: JVM start -> all bundles active (runtime/nmodal exec nmodal:boot)");
        System.out.println("  cold (empty DJL and bundle caches)   " + (long) cold + " ms");
        System.out.println("  warm (median of " + warm.length + ")                   " + (long) Bench.median(warm)
                + " ms   goal <= 2000 ms");
    }

    private static double boot(Path root, Path work) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("runtime/nmodal").toString(), "exec", "nmodal:boot");
        pb.environment().put("NMODAL_WORK", work.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("runtime/nmodal exec nmodal:boot failed:\n" + out);
        }
        Matcher m = MS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no boot time in:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
