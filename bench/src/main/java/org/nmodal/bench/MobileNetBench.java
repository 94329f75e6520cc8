package org.nmodal.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.encoder.image.MobileNetImage;
import org.nmodal.media.StandaloneMedia;

/**
 * Images per second through nmodal's {@code image-mobilenet} encode path (decoder with limits, nsfwjs's resize,
 * batched ONNX Runtime call, per-image errors) and through the same ONNX model called directly with DJL: ImageIO
 * read, the same align-corners resize written here, a STACK-batched predictor, batches of 16, on the same files
 * (real Twitter I JPEGs when ../shared/data is there, else generated PNGs). Alternating rounds, median of 5.
 */
final class MobileNetBench {
    private static final int SIZE = 224;
    private static final int BATCH = 16;

    private MobileNetBench() {}

    static void run(Path root) throws Exception {
        Path model = root.resolve("bundles/nmodal.encoder.image/target/classes/model/" + MobileNetImage.MODEL_FILE);
        List<ImageFile> files = images(root);
        Engine ort = Engine.getEngine("OnnxRuntime");
        try (MobileNetImage.Encoder nmodal = MobileNetImage.encoder(ort, StandaloneMedia.decoder(Map.of()), model, "cpu",
                BATCH); Model raw = Model.newInstance("raw", Device.cpu(), "OnnxRuntime")) {
            raw.load(model.getParent(), model.getFileName().toString().replace(".onnx", ""));
            try (Predictor<BufferedImage, float[]> direct = raw.newPredictor(translator())) {
                nmodal.encode(files.subList(0, BATCH));
                direct(direct, files.subList(0, BATCH));
                double[] viaNmodal = new double[5];
                double[] viaDirect = new double[5];
                for (int round = 0; round < 5; round++) {
                    for (int side = 0; side < 2; side++) {
                        long t0 = System.nanoTime();
                        if ((round + side) % 2 == 0) {
                            nmodal.encode(files);
                            viaNmodal[round] = files.size() / ((System.nanoTime() - t0) / 1e9);
                        } else {
                            direct(direct, files);
                            viaDirect[round] = files.size() / ((System.nanoTime() - t0) / 1e9);
                        }
                    }
                }
                double n = Bench.median(viaNmodal);
                double d = Bench.median(viaDirect);
                System.out.println();
                System.out.println("image encoder image-mobilenet (" + files.size() + " images, batches of " + BATCH
                        + ", 2 cores), images/s, median of 5 alternating rounds");
                System.out.println("  nmodal " + Bench.f(n) + "   direct DJL (ImageIO + resize + predictor) "
                        + Bench.f(d) + "   ratio nmodal/direct " + Bench.f(n / d));
            }
        }
    }

    /** Up to 64 real tweet images that ImageIO reads, else 64 generated 320x240 PNGs. */
    private static List<ImageFile> images(Path root) throws Exception {
        List<ImageFile> out = new ArrayList<>();
        Path real = root.resolve("../shared/data/twitter1/images").normalize();
        if (Files.isDirectory(real)) {
            try (Stream<Path> s = Files.list(real)) {
                for (Path p : s.sorted().toList()) {
                    if (out.size() < 64 && ImageIO.read(p.toFile()) != null) {
                        out.add(new ImageFile(p));
                    }
                }
            } catch (Exception e) {
                out.clear();
            }
        }
        if (out.size() < 64) {
            out.clear();
            Path dir = root.resolve("bench/target/mobilenet-images");
            Files.createDirectories(dir);
            Random r = new Random(3);
            for (int i = 0; i < 64; i++) {
                Path p = dir.resolve("m" + i + ".png");
                if (!Files.exists(p)) {
                    byte[] rgb = new byte[3 * 320 * 240];
                    r.nextBytes(rgb);
                    StandaloneMedia.writer().png(p, new DecodedImage(320, 240, rgb, 0));
                }
                out.add(new ImageFile(p));
            }
        }
        return out;
    }

    private static void direct(Predictor<BufferedImage, float[]> predictor, List<ImageFile> files) throws Exception {
        for (int from = 0; from < files.size(); from += BATCH) {
            List<BufferedImage> batch = new ArrayList<>();
            for (ImageFile f : files.subList(from, Math.min(files.size(), from + BATCH))) {
                batch.add(ImageIO.read(f.path().toFile()));
            }
            predictor.batchPredict(batch);
        }
    }

    private static Translator<BufferedImage, float[]> translator() {
        return new Translator<>() {
            @Override
            public NDList processInput(TranslatorContext ctx, BufferedImage img) {
                return new NDList(ctx.getNDManager().create(resize(img), new Shape(3, SIZE, SIZE)));
            }

            @Override
            public float[] processOutput(TranslatorContext ctx, NDList list) {
                return list.get("features") != null ? list.get("features").toFloatArray() : list.get(0).toFloatArray();
            }

            @Override
            public Batchifier getBatchifier() {
                return Batchifier.STACK;
            }
        };
    }

    /** Align-corners bilinear resize to 224 x 224, scaled to [0, 1], channel-major (as nsfwjs prepares images). */
    private static float[] resize(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[3 * SIZE * SIZE];
        double sx = (w - 1) / (double) (SIZE - 1);
        double sy = (h - 1) / (double) (SIZE - 1);
        for (int y = 0; y < SIZE; y++) {
            double fy = y * sy;
            int y0 = Math.min(h - 1, (int) fy);
            int y1 = Math.min(h - 1, y0 + 1);
            double wy = fy - y0;
            for (int x = 0; x < SIZE; x++) {
                double fx = x * sx;
                int x0 = Math.min(w - 1, (int) fx);
                int x1 = Math.min(w - 1, x0 + 1);
                double wx = fx - x0;
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    double v = (1 - wy) * ((1 - wx) * (argb[y0 * w + x0] >> shift & 0xff)
                            + wx * (argb[y0 * w + x1] >> shift & 0xff))
                            + wy * ((1 - wx) * (argb[y1 * w + x0] >> shift & 0xff)
                            + wx * (argb[y1 * w + x1] >> shift & 0xff));
                    out[c * SIZE * SIZE + y * SIZE + x] = (float) (v / 255.0);
                }
            }
        }
        return out;
    }
}
