package org.nmodal.encoder.image.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Small real ONNX models written byte by byte (protobuf wire format), for tests of ONNX encoders; shared with other
 * modules through this module's test jar.
 */
public final class OnnxTestModels {
    private OnnxTestModels() {}

    /**
     * ONNX ModelProto: {@code input [N, channels, d1..dk] -> GlobalAveragePool -> Flatten(axis 1) -> features
     * [N, channels]}, i.e. each channel's mean.
     *
     * @param input the input's name
     * @param channels the channel count (dimension 1)
     * @param spatial how many spatial dimensions follow (symbolic sizes)
     */
    public static byte[] meanPool(String input, int channels, int spatial) {
        byte[] pool = msg(str(1, input), str(2, "pooled"), str(3, "pool"), str(4, "GlobalAveragePool"));
        byte[] axis = msg(str(1, "axis"), num(3, 1), num(20, 2));
        byte[] flat = msg(str(1, "pooled"), str(2, "features"), str(3, "flat"), str(4, "Flatten"), sub(5, axis));
        byte[][] dims = new byte[2 + spatial][];
        dims[0] = sub(1, msg(str(2, "N")));
        dims[1] = sub(1, msg(num(1, channels)));
        for (int i = 0; i < spatial; i++) {
            dims[2 + i] = sub(1, msg(str(2, "D" + i)));
        }
        byte[] in = valueInfo(input, dims);
        byte[] output = valueInfo("features", sub(1, msg(str(2, "N"))), sub(1, msg(num(1, channels))));
        byte[] graph = msg(sub(1, pool), sub(1, flat), str(2, "g"), sub(11, in), sub(12, output));
        return msg(num(1, 7), str(2, "nmodal-test"), sub(7, graph), sub(8, msg(num(2, 13))));
    }

    private static byte[] valueInfo(String name, byte[]... dims) {
        byte[] shape = msg(dims);
        byte[] tensor = msg(num(1, 1), sub(2, shape));
        return msg(str(1, name), sub(2, msg(sub(1, tensor))));
    }

    private static byte[] msg(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : fields) {
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private static byte[] num(int field, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, (long) field << 3);
        varint(out, value);
        return out.toByteArray();
    }

    private static byte[] str(int field, String value) {
        return sub(field, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sub(int field, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, ((long) field << 3) | 2);
        varint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
