package org.nmodal.recommend.evaluation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nmodal.evaluation.Pca;
import org.nmodal.evaluation.Report;
import org.nmodal.recommend.TagSpace;

/**
 * The recommendation part of a run's report: the {@code recommendation} array of report.json (one object per
 * method, feature kind and modality subset with {@code p<K>}, {@code r<K>} and {@code hit<K>}), a table and a 2-D
 * map of the tag space (first two principal components, the most frequent tags labelled) in report.html, and a
 * table in the console summary.
 */
public final class RecommendReport {
    private static final int LABELLED = 30;

    private RecommendReport() {}

    /** The report section of an evaluation. */
    public static Report.Section section(TagEvaluation.Result r) {
        return new Report.Section("recommendation", json(r), html(r), summary(r));
    }

    static JsonArray json(TagEvaluation.Result r) {
        JsonArray out = new JsonArray();
        for (TagEvaluation.Row row : r.rows()) {
            JsonObject o = new JsonObject();
            o.addProperty("field", r.spec().field());
            o.addProperty("method", row.method());
            o.addProperty("features", row.features());
            JsonArray m = new JsonArray();
            row.modalities().forEach(m::add);
            o.add("modalities", m);
            o.addProperty("split", "test");
            o.addProperty("posts", r.testPosts());
            o.addProperty("tags", r.space().vocabulary().size());
            for (Ranking.AtK a : row.atK()) {
                o.addProperty("p" + a.k(), round(a.precision()));
                o.addProperty("r" + a.k(), round(a.recall()));
                o.addProperty("hit" + a.k(), round(a.hit()));
            }
            out.add(o);
        }
        return out;
    }

    static String summary(TagEvaluation.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nrecommend %s (%d tags seen in >= %d training posts; %d test posts with "
                + "one)%n", r.spec().field(), r.space().vocabulary().size(), r.spec().minCount(), r.testPosts()));
        sb.append(String.format(Locale.ROOT, "  %-28s %-8s %-14s", "modalities", "features", "method"));
        for (int k : r.spec().k()) {
            sb.append(String.format(Locale.ROOT, " %7s %7s %7s", "P@" + k, "R@" + k, "hit@" + k));
        }
        sb.append(String.format("%n"));
        for (TagEvaluation.Row row : r.rows()) {
            sb.append(String.format(Locale.ROOT, "  %-28s %-8s %-14s", row.modalities().isEmpty() ? "-"
                    : String.join("+", row.modalities()), row.features(), row.method()));
            for (Ranking.AtK a : row.atK()) {
                sb.append(String.format(Locale.ROOT, " %7.4f %7.4f %7.4f", a.precision(), a.recall(), a.hit()));
            }
            sb.append(String.format("%n"));
        }
        return sb.toString();
    }

    static String html(TagEvaluation.Result r) {
        StringBuilder h = new StringBuilder();
        h.append("<h2>Hashtag recommendation (").append(esc(r.spec().field())).append(", test split)</h2><p>")
                .append(r.space().vocabulary().size()).append(" tags seen in at least ").append(r.spec().minCount())
                .append(" training posts; ").append(r.testPosts()).append(" test posts with at least one. Tag2Vec: ")
                .append(r.space().width()).append("-d skip-gram embeddings; the mapping θ2 tanh(θ1 x) of each subset's "
                        + "features into that space, then the nearest tags.</p><table><tr><th class=l>modalities</th>"
                        + "<th class=l>features</th><th class=l>method</th>");
        for (int k : r.spec().k()) {
            h.append("<th>P@").append(k).append("</th><th>R@").append(k).append("</th><th>hit@").append(k).append("</th>");
        }
        h.append("</tr>");
        for (TagEvaluation.Row row : r.rows()) {
            h.append("<tr><td class=l>").append(row.modalities().isEmpty() ? "-" : esc(String.join("+",
                    row.modalities()))).append("</td><td class=l>").append(esc(row.features())).append("</td><td class=l>")
                    .append(esc(row.method())).append("</td>");
            for (Ranking.AtK a : row.atK()) {
                h.append(String.format(Locale.ROOT, "<td>%.3f</td><td>%.3f</td><td>%.3f</td>", a.precision(),
                        a.recall(), a.hit()));
            }
            h.append("</tr>");
        }
        h.append("</table><h3>Map of the tag space (first two principal components; the ").append(LABELLED)
                .append(" most frequent tags labelled)</h3>").append(map(r.space()));
        return h.toString();
    }

    /** The tags on the first two principal components of their embeddings; vocabulary order is by frequency. */
    static String map(TagSpace space) {
        int n = space.vocabulary().size();
        if (n < 3) {
            return "<p>too few tags to draw</p>";
        }
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(space.vector(i));
        }
        double[][] xy = Pca.project2(rows, 20, 20, 500, 520);
        StringBuilder s = new StringBuilder("<svg width=\"640\" height=\"560\" viewBox=\"0 0 640 560\">");
        for (int i = n - 1; i >= 0; i--) {
            double x = xy[i][0];
            double y = xy[i][1];
            boolean label = i < LABELLED;
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\" "
                    + "fill-opacity=\"0.6\"/>", x, y, label ? "3.5" : "2", label ? "#d62728" : "#1f77b4"));
            if (label) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">#%s</text>", x + 5,
                        y + 4, esc(space.vocabulary().shown(i))));
            }
        }
        return s.append("</svg>").toString();
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
