package org.nmodal.encoder.image.internal;

import java.util.ArrayList;
import java.util.List;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.api.media.MediaException;
import org.nmodal.encoder.image.ClassicImageFeatures;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code image-classic} encoder: {@link ClassicImageFeatures} of each image file. */
@Component(service = ModalityEncoder.class, property = {NModal.KIND + "=" + NModal.KIND_ENCODER,
        NModal.NAME + "=image-classic", NModal.MODALITY + "=image", NModal.DIMENSION + ":Integer=67",
        NModal.DEVICE + "=cpu", NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Colour, hue, gradient orientation, edge and layout statistics"})
public final class ClassicImageEncoder implements ModalityEncoder {
    private final MediaDecoder media;

    /** Creates the encoder on the platform's media decoder. */
    @Activate
    public ClassicImageEncoder(@Reference(target = "(nmodal.name=ffmpeg)") MediaDecoder media) {
        this.media = media;
    }

    @Override
    public String name() {
        return "image-classic";
    }

    @Override
    public String modality() {
        return "image";
    }

    @Override
    public int dimension() {
        return ClassicImageFeatures.DIMENSION;
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String version() {
        return ClassicImageFeatures.VERSION;
    }

    @Override
    public List<Encoding> encode(List<? extends ModalityInput> inputs) {
        List<Encoding> out = new ArrayList<>(inputs.size());
        for (ModalityInput in : inputs) {
            if (!(in instanceof ImageFile file)) {
                out.add(Encoding.failed("image-classic encodes image files, not "
                        + (in == null ? "null" : in.getClass().getSimpleName())));
                continue;
            }
            try {
                out.add(Encoding.of(ClassicImageFeatures.of(media.image(file.path()))));
            } catch (MediaException e) {
                out.add(Encoding.failed(e.getMessage()));
            }
        }
        return out;
    }
}
