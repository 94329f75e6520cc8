package org.nmodal.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.encoder.image.ClassicImageFeatures;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaWriter;
import org.nmodal.encoder.image.ClassicImage;
import org.nmodal.media.StandaloneMedia;

/**
 * Images per second of the image-classic encoder through nmodal's encode path (decoder service, limits, per-item
 * errors) and of the same work done directly (ImageIO read, then the feature function), on the same PNG files.
 */
final class ImageEncoderBench {
    private ImageEncoderBench() {}

    static void run(Path root) throws Exception {
        Path dir = root.resolve("bench/target/images");
        Files.createDirectories(dir);
        MediaWriter writer = StandaloneMedia.writer();
        Random r = new Random(1);
        List<ImageFile> files = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] rgb = new byte[3 * 128 * 128];
            r.nextBytes(rgb);
            Path p = dir.resolve("i" + i + ".png");
            if (!Files.exists(p)) {
                writer.png(p, new DecodedImage(128, 128, rgb, 0));
            }
            files.add(new ImageFile(p));
        }
        ModalityEncoder encoder = ClassicImage.encoder(StandaloneMedia.decoder(Map.of()));
        encoder.encode(files.subList(0, 20));
        direct(files.subList(0, 20));
        double[] viaNmodal = new double[5];
        double[] viaDirect = new double[5];
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            encoder.encode(files);
            viaNmodal[round] = files.size() / ((System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            direct(files);
            viaDirect[round] = files.size() / ((System.nanoTime() - t0) / 1e9);
        }
        double n = Bench.median(viaNmodal);
        double d = Bench.median(viaDirect);
        System.out.println();
        System.out.println("image encoder image-classic (128x128 PNG), images/s, median of 5");
        System.out.println("  nmodal " + Bench.f(n) + "   direct (ImageIO + features) " + Bench.f(d)
                + "   ratio nmodal/direct " + Bench.f(n / d));
    }

    private static void direct(List<ImageFile> files) throws Exception {
        for (ImageFile f : files) {
            java.awt.image.BufferedImage img = ImageIO.read(f.path().toFile());
            int w = img.getWidth();
            int h = img.getHeight();
            byte[] rgb = new byte[3 * w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = img.getRGB(x, y);
                    int o = 3 * (y * w + x);
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
            ClassicImageFeatures.of(new DecodedImage(w, h, rgb, 0));
        }
    }
}
