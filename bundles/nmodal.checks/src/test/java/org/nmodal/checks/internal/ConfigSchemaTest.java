package org.nmodal.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A configuration value is checked against the type its metatype declares, naming the PID, key and value. */
class ConfigSchemaTest {
    private static final String XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metatype:MetaData xmlns:metatype="http://www.osgi.org/xmlns/metatype/v1.2.0">
              <OCD id="media" name="m">
                <AD id="maxPixels" type="Long" default="16000000"/>
                <AD id="maxVideoSeconds" type="Double" default="600.0"/>
                <AD id="threads" type="Integer" default="1"/>
                <AD id="lazy" type="Boolean" default="false"/>
                <AD id="device" type="String" default="cpu"/>
                <AD id="layout" type="String" default="n1tf"><Option label="a" value="n1tf"/><Option label="b" value="nft"/></AD>
              </OCD>
              <Designate pid="nmodal.media"><Object ocdref="media"/></Designate>
              <Designate factoryPid="nmodal.encoder.image.onnx"><Object ocdref="media"/></Designate>
            </metatype:MetaData>
            """;

    private static ConfigSchema schema() throws Exception {
        ConfigSchema s = new ConfigSchema();
        s.read(new ByteArrayInputStream(XML.getBytes(StandardCharsets.UTF_8)));
        return s;
    }

    @Test
    void aValueOfTheWrongTypeIsNamed() throws Exception {
        ConfigSchema s = schema();
        assertEquals(Optional.of("nmodal.media: maxPixels='lots' is not a whole number"),
                s.problem("nmodal.media", Map.of("maxPixels", "lots")));
        assertEquals(Optional.of("nmodal.media: maxVideoSeconds='NaN' is not a finite number"),
                s.problem("nmodal.media", Map.of("maxVideoSeconds", "NaN")));
        assertEquals(Optional.of("nmodal.media: threads='3000000000' is out of range (-2147483648 to 2147483647)"),
                s.problem("nmodal.media", Map.of("threads", "3000000000")));
        assertEquals(Optional.of("nmodal.media: lazy='yes' is not true or false"),
                s.problem("nmodal.media", Map.of("lazy", "yes")));
        assertEquals(Optional.of("nmodal.encoder.image.onnx: layout='nchw' is not one of n1tf, nft"),
                s.problem("nmodal.encoder.image.onnx", Map.of("layout", "nchw")));
        assertEquals(Optional.of("nmodal.media: maxPixels='1\\u000a2' is not a whole number"),
                s.problem("nmodal.media", Map.of("maxPixels", "1\n2")));
    }

    @Test
    void goodValuesUndeclaredKeysAndUnknownPidsPass() throws Exception {
        ConfigSchema s = schema();
        assertEquals(Optional.empty(), s.problem("nmodal.media", Map.of("maxPixels", " 100 ", "maxVideoSeconds", "1.5",
                "threads", 4, "lazy", "TRUE", "device", "gpu:1", "service.ranking", "x", "layout", "nft")));
        assertEquals(Optional.empty(), s.problem("nmodal.other", Map.of("maxPixels", "lots")));
        assertTrue(s.knows("nmodal.encoder.image.onnx"));
    }
}
