package org.nmodal.itest.misbehaving;

import java.util.List;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.osgi.service.component.annotations.Component;

/** Text encoders that misbehave in the ways an extension can: one component each. */
public final class Misbehaving {
    private Misbehaving() {}

    /** Shared, well-behaved part. */
    abstract static class Base implements ModalityEncoder {
        @Override
        public String modality() {
            return "text";
        }

        @Override
        public int dimension() {
            return 8;
        }

        @Override
        public String device() {
            return "cpu";
        }

        @Override
        public String version() {
            return name() + "/1";
        }
    }

    /** Throws while activating, as an extension whose model file is broken would. */
    @Component(service = ModalityEncoder.class, property = {NModal.KIND + "=" + NModal.KIND_ENCODER,
            NModal.NAME + "=bad-activation", NModal.MODALITY + "=text", NModal.DIMENSION + ":Integer=8",
            NModal.LICENCE + "=Apache-2.0"})
    public static final class FailsToActivate extends Base {
        /** Always throws. */
        public FailsToActivate() {
            throw new IllegalStateException("model file is corrupt (test bundle)");
        }

        @Override
        public String name() {
            return "bad-activation";
        }

        @Override
        public List<Encoding> encode(List<? extends ModalityInput> inputs) {
            throw new AssertionError("never activated");
        }
    }

    /** Throws from encode. */
    @Component(service = ModalityEncoder.class, property = {NModal.KIND + "=" + NModal.KIND_ENCODER,
            NModal.NAME + "=bad-throws", NModal.MODALITY + "=text", NModal.DIMENSION + ":Integer=8",
            NModal.LICENCE + "=Apache-2.0"})
    public static final class Throws extends Base {
        @Override
        public String name() {
            return "bad-throws";
        }

        @Override
        public List<Encoding> encode(List<? extends ModalityInput> inputs) {
            throw new IllegalStateException("out of cheese (test bundle)");
        }
    }

    /** Declares 8 values, returns 5. */
    @Component(service = ModalityEncoder.class, property = {NModal.KIND + "=" + NModal.KIND_ENCODER,
            NModal.NAME + "=bad-dimension", NModal.MODALITY + "=text", NModal.DIMENSION + ":Integer=8",
            NModal.LICENCE + "=Apache-2.0"})
    public static final class WrongDimension extends Base {
        @Override
        public String name() {
            return "bad-dimension";
        }

        @Override
        public List<Encoding> encode(List<? extends ModalityInput> inputs) {
            return inputs.stream().map(i -> Encoding.of(new float[5])).toList();
        }
    }

    /** Never answers (until interrupted). */
    @Component(service = ModalityEncoder.class, property = {NModal.KIND + "=" + NModal.KIND_ENCODER,
            NModal.NAME + "=bad-blocks", NModal.MODALITY + "=text", NModal.DIMENSION + ":Integer=8",
            NModal.LICENCE + "=Apache-2.0"})
    public static final class Blocks extends Base {
        @Override
        public String name() {
            return "bad-blocks";
        }

        @Override
        public List<Encoding> encode(List<? extends ModalityInput> inputs) {
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
    }

    /** Declares (with the API's property type) a dimension its method does not return: refused, not used. */
    @Component(service = ModalityEncoder.class)
    @org.nmodal.api.component.NModalEncoder(name = "bad-declared", modality = "text", dimension = 64,
            licence = "Apache-2.0")
    public static final class Mislabelled extends Base {
        @Override
        public String name() {
            return "bad-declared";
        }

        @Override
        public List<Encoding> encode(List<? extends ModalityInput> inputs) {
            return inputs.stream().map(i -> Encoding.of(new float[8])).toList();
        }
    }
}
