package org.nmodal.encoder.hashing.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@code text-hashing} encoder: words, word bigrams and character trigrams hashed into a fixed number of
 * signed buckets, log-scaled and L2-normalised. Needs no weights, so it works on any language and is instant.
 */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.text.hashing", property = {
        NModal.KIND + "=" + NModal.KIND_ENCODER, NModal.NAME + "=text-hashing", NModal.MODALITY + "=text",
        NModal.DIMENSION + ":Integer=512", NModal.LICENCE + "=Apache-2.0", NModal.DEVICE + "=cpu",
        NModal.DESCRIPTION + "=Signed feature hashing of word and character n-grams"})
@Designate(ocd = HashingTextEncoder.Config.class)
public final class HashingTextEncoder implements ModalityEncoder {
    /** Configuration, PID {@code nmodal.encoder.text.hashing}. */
    @ObjectClassDefinition(name = "Hashed n-gram text encoder")
    public @interface Config {
        /** Buckets. Keep the service property nmodal.dimension equal when changing it. */
        @AttributeDefinition(description = "Output dimension (number of hash buckets)")
        int dimension() default 512;
    }

    private final int dimension;

    /** Creates the encoder. */
    @Activate
    public HashingTextEncoder(Config config) {
        if (config.dimension() < 8) {
            throw new IllegalArgumentException("text-hashing: dimension must be at least 8, was " + config.dimension());
        }
        this.dimension = config.dimension();
    }

    @Override
    public String name() {
        return "text-hashing";
    }

    @Override
    public String modality() {
        return "text";
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String version() {
        return "hashing-v1/d" + dimension;
    }

    @Override
    public List<Encoding> encode(List<? extends ModalityInput> inputs) {
        List<Encoding> out = new ArrayList<>(inputs.size());
        for (ModalityInput in : inputs) {
            out.add(in instanceof TextInput t ? Encoding.of(vector(t.text()))
                    : Encoding.failed("text-hashing encodes text, not "
                            + (in == null ? "null" : in.getClass().getSimpleName())));
        }
        return out;
    }

    float[] vector(String text) {
        float[] v = new float[dimension];
        String norm = text.toLowerCase(Locale.ROOT);
        String[] words = norm.split("[^\\p{L}\\p{N}#@]+");
        String previous = null;
        for (String w : words) {
            if (w.isEmpty()) {
                continue;
            }
            add(v, "w:" + w);
            if (previous != null) {
                add(v, "b:" + previous + ' ' + w);
            }
            previous = w;
            String padded = ' ' + w + ' ';
            for (int i = 0; i + 3 <= padded.length(); i++) {
                add(v, "c:" + padded.substring(i, i + 3));
            }
        }
        double sq = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (Math.signum(v[i]) * Math.log1p(Math.abs(v[i])));
            sq += v[i] * v[i];
        }
        if (sq > 0) {
            float inv = (float) (1 / Math.sqrt(sq));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    private void add(float[] v, String feature) {
        int h = murmurMix(feature.getBytes(StandardCharsets.UTF_8));
        v[Math.floorMod(h, dimension)] += (h & 0x8000_0000) == 0 ? 1 : -1;
    }

    /** FNV-1a followed by a murmur3 finaliser: stable across JVMs, unlike String.hashCode's weak low bits. */
    private static int murmurMix(byte[] bytes) {
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
