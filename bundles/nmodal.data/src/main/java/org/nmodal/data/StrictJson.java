package org.nmodal.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;

/**
 * JSON as RFC 8259 has it, for files people write by hand: Gson's own parser keeps the last of two equal keys
 * silently (and accepts comments and unquoted names), so {@code "epochs": 3, "epochs": 300} would run 300 epochs
 * without a word. Here a repeated key is an error naming its path.
 */
public final class StrictJson {
    /** Deeper nesting than this is no pipeline file; refusing it keeps a hostile file off the stack's limit. */
    private static final int MAX_DEPTH = 64;

    private StrictJson() {}

    /**
     * Parses one JSON document.
     *
     * @throws JsonParseException with a one-line message naming where the text is wrong (a repeated key by its path)
     */
    public static JsonElement parse(String text) {
        try (JsonReader in = new JsonReader(new StringReader(text))) {
            in.setStrictness(Strictness.STRICT);
            JsonElement e = read(in, "", 0);
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("more text after the JSON value at " + in.getPath());
            }
            return e;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new JsonParseException(e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().split("\n")[0], e);
        }
    }

    private static JsonElement read(JsonReader in, String path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new JsonParseException("nested more than " + MAX_DEPTH + " levels deep at " + in.getPath());
        }
        switch (in.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject o = new JsonObject();
                in.beginObject();
                while (in.hasNext()) {
                    String key = in.nextName();
                    String at = path.isEmpty() ? key : path + "." + key;
                    if (o.has(key)) {
                        throw new JsonParseException("duplicate key '" + at + "'");
                    }
                    o.add(key, read(in, at, depth + 1));
                }
                in.endObject();
                return o;
            }
            case BEGIN_ARRAY -> {
                JsonArray a = new JsonArray();
                in.beginArray();
                for (int i = 0; in.hasNext(); i++) {
                    a.add(read(in, path + "[" + i + "]", depth + 1));
                }
                in.endArray();
                return a;
            }
            case STRING -> {
                return new JsonPrimitive(in.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new Literal(in.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(in.nextBoolean());
            }
            case NULL -> {
                in.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw new JsonParseException("unexpected " + in.peek() + " at " + in.getPath());
        }
    }

    /** A number as the file wrote it ({@code 1e12}, not {@code 1E+12}), so an error line quotes the user's text. */
    private static final class Literal extends Number {
        private static final long serialVersionUID = 1L;
        private final String text;
        private final BigDecimal value;

        Literal(String text) {
            this.text = text;
            this.value = new BigDecimal(text);
        }

        @Override
        public int intValue() {
            return value.intValue();
        }

        @Override
        public long longValue() {
            return value.longValue();
        }

        @Override
        public float floatValue() {
            return value.floatValue();
        }

        @Override
        public double doubleValue() {
            return value.doubleValue();
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
