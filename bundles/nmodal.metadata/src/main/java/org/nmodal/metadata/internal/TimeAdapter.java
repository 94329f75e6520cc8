package org.nmodal.metadata.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.nmodal.api.NModal;
import org.nmodal.api.data.FeatureVector;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.metadata.MetadataAdapter;
import org.osgi.service.component.annotations.Component;

/**
 * {@code time}: when the post was made, as 5 numbers: the hour of day and the day of week each on a circle
 * ({@code sin}, {@code cos} of the angle, so 23:59 sits next to 00:00 and Sunday next to Monday; UTC, to the
 * minute), and its age, years since 2000-01-01 (a trend over the years; the pipeline standardises it). No
 * timestamp, or one out of 1900..2200: no vector.
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_ADAPTER, NModal.NAME + "=time",
        NModal.MODALITY + "=meta.time", NModal.DIMENSION + ":Integer=5", NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Posting time: cyclical hour of day and day of week, years since 2000"})
public final class TimeAdapter implements MetadataAdapter {
    private static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");
    private static final double YEAR_SECONDS = 365.2425 * 86_400;

    @Override
    public String name() {
        return "time";
    }

    @Override
    public String modality() {
        return "meta.time";
    }

    @Override
    public int dimension() {
        return 5;
    }

    @Override
    public Optional<ModalityInput> adapt(Post post) {
        Instant t = post.metadata().timestamp();
        if (t == null) {
            return Optional.empty();
        }
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        if (z.getYear() < 1900 || z.getYear() > 2200) {
            return Optional.empty();
        }
        double hour = 2 * Math.PI * (z.getHour() * 60 + z.getMinute()) / (24 * 60.0);
        double day = 2 * Math.PI * (z.getDayOfWeek().getValue() - 1) / 7.0;
        double years = (t.getEpochSecond() - EPOCH.getEpochSecond()) / YEAR_SECONDS;
        return Optional.of(new FeatureVector(new float[] {(float) Math.sin(hour), (float) Math.cos(hour),
                (float) Math.sin(day), (float) Math.cos(day), (float) years}));
    }
}
