package org.nmodal.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.recommend.TagAnswer;
import org.nmodal.api.recommend.TagScore;
import org.nmodal.api.recommend.TagService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Console commands for hashtag recommendation with a served pipeline (scope nmodal). */
@Component(service = TagCommands.class, property = {"osgi.command.scope=nmodal", "osgi.command.function=tags"})
public final class TagCommands {
    private final TagService tags;

    /** Creates the commands. */
    @Activate
    public TagCommands(@Reference TagService tags) {
        this.tags = tags;
    }

    /** Recommends hashtags for one post. */
    @Descriptor("recommends hashtags for one post with a served pipeline that has a 'recommend' block: the K tags "
            + "nearest to the post mapped into the Tag2Vec space, with their cosine scores")
    public void tags(
            @Descriptor("how many tags")
            @Parameter(names = {"-k", "--k"}, absentValue = "10") int k,
            @Descriptor("pipeline id") String id,
            @Descriptor("post: a JSON file, or the JSON itself (fields as in posts.jsonl)") String post)
            throws IOException {
        String json = post.trim().startsWith("{") ? post : read(Path.of(post).toAbsolutePath().normalize());
        TagAnswer a = tags.recommend(id, json, k);
        System.out.println(String.format(Locale.ROOT, "%s %s from %s (%.1f ms)", a.pipeline(), a.version(),
                String.join("+", a.modalities()), a.millis()));
        print(a.tags());
    }

    /** A tag's nearest tags ({@code nmodal:similar-tags}, through {@link SimilarTagsCommand}). */
    @Descriptor("lists the tags nearest to a tag in a served pipeline's Tag2Vec space")
    public void similarTags(
            @Descriptor("how many tags")
            @Parameter(names = {"-k", "--k"}, absentValue = "10") int k,
            @Descriptor("pipeline id") String id,
            @Descriptor("tag, with or without #") String tag) {
        print(tags.similar(id, tag, k));
    }

    private static void print(List<TagScore> list) {
        list.forEach(t -> System.out.println(String.format(Locale.ROOT, "  #%-30s %.4f", t.tag(), t.score())));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
