package org.nmodal.metadata.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.nmodal.api.NModal;
import org.nmodal.api.data.FeatureVector;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.metadata.MetadataAdapter;
import org.osgi.service.component.annotations.Component;

/**
 * {@code account}: the posting account as a hashed one-hot vector of {@value #BUCKETS} buckets. The name is
 * trimmed, a leading {@code @} dropped and lower-cased, then hashed with 64-bit FNV-1a over its UTF-8 bytes (stable
 * across JVMs and runs, unlike {@code String.hashCode} salting elsewhere); accounts may share a bucket. No account:
 * no vector.
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_ADAPTER, NModal.NAME + "=account",
        NModal.MODALITY + "=meta.account", NModal.DIMENSION + ":Integer=64", NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=The posting account, hashed one-hot (64 buckets)"})
public final class AccountAdapter implements MetadataAdapter {
    static final int BUCKETS = 64;

    @Override
    public String name() {
        return "account";
    }

    @Override
    public String modality() {
        return "meta.account";
    }

    @Override
    public int dimension() {
        return BUCKETS;
    }

    @Override
    public Optional<ModalityInput> adapt(Post post) {
        String a = Texts.clean(post.metadata().account());
        if (a == null) {
            return Optional.empty();
        }
        a = a.startsWith("@") ? a.substring(1).strip() : a;
        if (a.isEmpty()) {
            return Optional.empty();
        }
        float[] v = new float[BUCKETS];
        v[bucket(a.toLowerCase(Locale.ROOT))] = 1;
        return Optional.of(new FeatureVector(v));
    }

    static int bucket(String account) {
        long h = 0xcbf29ce484222325L;
        for (byte b : account.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return (int) Long.remainderUnsigned(h, BUCKETS);
    }
}
