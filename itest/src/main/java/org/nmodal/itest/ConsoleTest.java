package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** The nmodal Gogo commands, run through the real command processor. */
@ExtendWith(ServiceExtension.class)
class ConsoleTest {
    @InjectService(timeout = 30_000)
    CommandProcessor processor;

    @Test
    void componentsListsTheTextEncoderAndEngines() throws Exception {
        String out = run("nmodal:components");
        assertTrue(out.matches("(?s).*encoder\\s+minilm\\s+text\\s+384\\s+cpu\\s+nmodal.encoder.text.*"), out);
        assertTrue(out.contains("PyTorch") && out.contains("OnnxRuntime"), out);
        assertTrue(out.contains("ffmpeg"), out);
    }

    @Test
    void encodePrintsTheDimension() throws Exception {
        String out = run("nmodal:encode text \"a cat sits on the mat\"");
        assertTrue(out.contains("dimension  384"), out);
        assertTrue(out.contains("norm       1.0000"), out);
    }

    @Test
    void unknownModalityNamesTheAvailableEncoders() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run("nmodal:encode smell rose"));
        assertTrue(e.getMessage().contains("no encoder for modality 'smell'"), e.getMessage());
        assertTrue(e.getMessage().contains("minilm (text)"), e.getMessage());
    }

    private String run(String command) throws Exception {
        return Gogo.run(processor, command);
    }
}
