package org.nmodal.checks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The typed attributes of a configuration PID, as a bundle's metatype ({@code OSGI-INF/metatype/*.xml}, which bnd
 * writes from each component's {@code @ObjectClassDefinition}) declares them: what a value must be before Declarative
 * Services converts it. DS turns {@code maxPixels=lots} into an exception inside the component's activation, so the
 * component fails and every user of it with it; checked here, the bad value is named before it gets that far.
 */
final class ConfigSchema {
    /** One attribute: its type as metatype names it ({@code Long}, {@code Double}, ...) and its options, if any. */
    record Attribute(String type, List<String> options) {}

    private final Map<String, Map<String, Attribute>> byPid = new LinkedHashMap<>();

    /** Adds the designates of one metatype document (PIDs and factory PIDs alike). */
    void read(InputStream xml) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(xml);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("not a metatype document: " + e.getMessage(), e);
        }
        Map<String, Map<String, Attribute>> ocds = new LinkedHashMap<>();
        NodeList ocdNodes = doc.getElementsByTagName("OCD");
        for (int i = 0; i < ocdNodes.getLength(); i++) {
            Element ocd = (Element) ocdNodes.item(i);
            Map<String, Attribute> ads = new LinkedHashMap<>();
            NodeList adNodes = ocd.getElementsByTagName("AD");
            for (int j = 0; j < adNodes.getLength(); j++) {
                Element ad = (Element) adNodes.item(j);
                List<String> options = new ArrayList<>();
                NodeList opts = ad.getElementsByTagName("Option");
                for (int k = 0; k < opts.getLength(); k++) {
                    options.add(((Element) opts.item(k)).getAttribute("value"));
                }
                ads.put(ad.getAttribute("id"), new Attribute(ad.getAttribute("type"), List.copyOf(options)));
            }
            ocds.put(ocd.getAttribute("id"), ads);
        }
        NodeList designates = doc.getElementsByTagName("Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            Element d = (Element) designates.item(i);
            String pid = d.getAttribute("factoryPid").isEmpty() ? d.getAttribute("pid") : d.getAttribute("factoryPid");
            NodeList objects = d.getElementsByTagName("Object");
            if (!pid.isEmpty() && objects.getLength() > 0) {
                Map<String, Attribute> ads = ocds.get(((Element) objects.item(0)).getAttribute("ocdref"));
                if (ads != null) {
                    byPid.put(pid, ads);
                }
            }
        }
    }

    /** Whether the PID (or factory PID) has a declared schema. */
    boolean knows(String pid) {
        return byPid.containsKey(pid);
    }

    /**
     * The first problem of a configuration, as one line naming the PID, the key and the value; empty when every
     * declared attribute holds a value of its type. Undeclared keys are left alone (service.ranking, file names).
     */
    Optional<String> problem(String pid, Map<String, Object> properties) {
        Map<String, Attribute> ads = byPid.get(pid);
        if (ads == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            Attribute a = ads.get(e.getKey());
            if (a == null || e.getValue() == null) {
                continue;
            }
            for (Object v : values(e.getValue())) {
                String why = check(a, v);
                if (why != null) {
                    return Optional.of(pid + ": " + e.getKey() + "=" + quote(v) + " " + why);
                }
            }
        }
        return Optional.empty();
    }

    private static List<Object> values(Object v) {
        List<Object> out = new ArrayList<>();
        if (v.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(v); i++) {
                out.add(Array.get(v, i));
            }
        } else if (v instanceof java.util.Collection<?> c) {
            out.addAll(c);
        } else {
            out.add(v);
        }
        return out;
    }

    /** Why the value does not fit the attribute, or null when it does. */
    static String check(Attribute a, Object v) {
        String s = String.valueOf(v).trim();
        String why = switch (a.type()) {
            case "Long" -> whole(v, s, Long.MIN_VALUE, Long.MAX_VALUE);
            case "Integer" -> whole(v, s, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case "Short" -> whole(v, s, Short.MIN_VALUE, Short.MAX_VALUE);
            case "Byte" -> whole(v, s, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case "Double", "Float" -> real(v, s);
            case "Boolean" -> v instanceof Boolean || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false") ? null
                    : "is not true or false";
            case "Char", "Character" -> s.length() == 1 ? null : "is not one character";
            default -> null;
        };
        if (why == null && !a.options().isEmpty() && !a.options().contains(String.valueOf(v))) {
            why = "is not one of " + String.join(", ", a.options());
        }
        return why;
    }

    private static String whole(Object v, String s, long min, long max) {
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return n.longValue() < min || n.longValue() > max ? "is out of range (" + min + " to " + max + ")" : null;
        }
        try {
            long x = Long.parseLong(s);
            return x < min || x > max ? "is out of range (" + min + " to " + max + ")" : null;
        } catch (NumberFormatException e) {
            return "is not a whole number";
        }
    }

    private static String real(Object v, String s) {
        double x;
        if (v instanceof Number n) {
            x = n.doubleValue();
        } else {
            try {
                x = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return "is not a number";
            }
        }
        return Double.isFinite(x) ? null : "is not a finite number";
    }

    private static String quote(Object v) {
        String s = String.valueOf(v);
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append(s.length() > 80 ? "...'" : "'").toString();
    }
}
