package org.nmodal.recommend;

import java.util.Locale;
import org.tartarus.snowball.ext.EnglishStemmer;

/**
 * One form per tag: the leading {@code #} and surrounding blanks dropped, lower case, and (optionally) stemmed with
 * the Snowball English stemmer (Porter2; the Snowball project's code as shipped in Apache Lucene analysis-common),
 * so that {@code #Elections} and {@code election} count as one tag. A stemmer instance keeps state: calls are
 * serialised.
 */
public final class TagNormalizer {
    private final boolean stem;
    private final EnglishStemmer stemmer = new EnglishStemmer();

    /** A normaliser that stems when {@code stem} is true. */
    public TagNormalizer(boolean stem) {
        this.stem = stem;
    }

    /** The tag's normal form; empty when nothing is left. */
    public synchronized String normalize(String tag) {
        if (tag == null) {
            return "";
        }
        String t = tag.strip();
        while (t.startsWith("#")) {
            t = t.substring(1);
        }
        t = t.toLowerCase(Locale.ROOT);
        if (!stem || t.isEmpty()) {
            return t;
        }
        stemmer.setCurrent(t);
        stemmer.stem();
        return stemmer.getCurrent();
    }
}
