package org.nmodal.metadata.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.metadata.MetadataAdapter;
import org.osgi.service.component.annotations.Component;

/**
 * {@code hashtag-words}: a post's hashtags as words a sentence encoder knows, {@code #BlackFriday_deals} becoming
 * {@code "black friday deals"}: split at {@code _}, {@code -}, lower-to-upper case changes and letter-digit changes,
 * lower-cased, tags separated by commas.
 */
@Component(property = {NModal.KIND + "=" + NModal.KIND_ADAPTER, NModal.NAME + "=hashtag-words",
        NModal.MODALITY + "=meta.hashtags", NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Hashtags as words: #BlackFriday -> black friday"})
public final class HashtagWordsAdapter implements MetadataAdapter {
    @Override
    public String name() {
        return "hashtag-words";
    }

    @Override
    public String modality() {
        return "meta.hashtags";
    }

    @Override
    public Optional<ModalityInput> adapt(Post post) {
        List<String> out = new ArrayList<>();
        for (String tag : Texts.entries(post.metadata().hashtags(), "#")) {
            String w = words(tag);
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return Texts.text(String.join(", ", out));
    }

    /** One tag split into lower-case words. */
    static String words(String tag) {
        StringBuilder b = new StringBuilder();
        int prev = 0;
        for (int i = 0; i < tag.length(); ) {
            int c = tag.codePointAt(i);
            boolean separator = c == '_' || c == '-' || c == '#' || Character.isWhitespace(c);
            boolean boundary = (Character.isUpperCase(c) && Character.isLowerCase(prev))
                    || (Character.isDigit(c) != Character.isDigit(prev) && Character.isLetterOrDigit(prev)
                    && Character.isLetterOrDigit(c));
            if (separator) {
                prev = ' ';
            } else {
                if ((boundary || prev == ' ') && b.length() > 0 && b.charAt(b.length() - 1) != ' ') {
                    b.append(' ');
                }
                b.appendCodePoint(Character.toLowerCase(c));
                prev = c;
            }
            i += Character.charCount(c);
        }
        return b.toString().strip().toLowerCase(Locale.ROOT);
    }
}
