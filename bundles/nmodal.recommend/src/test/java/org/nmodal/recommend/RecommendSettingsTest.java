package org.nmodal.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.recommend.RecommendSpec;

class RecommendSettingsTest {
    private static RecommendSpec read(String json) {
        return RecommendSettings.read(JsonParser.parseString(json), "p.json");
    }

    @Test
    void defaultsAreTheSoftmaxMapping() {
        RecommendSpec s = read("{}");
        assertEquals("softmax", s.loss());
        assertEquals(RecommendSettings.DEFAULT_TEMPERATURE, s.temperature());
        assertEquals(RecommendSettings.DEFAULT_DROPOUT, s.dropout());
        assertEquals(RecommendSettings.DEFAULT_WEIGHT_DECAY, s.weightDecay());
        assertEquals(RecommendSettings.DEFAULT_PATIENCE, s.patience());
        assertEquals(TagMapping.Loss.SOFTMAX, RecommendSettings.mapping(s, 1).loss());
    }

    @Test
    void readsTheMappingSettings() {
        RecommendSpec s = read("{\"loss\": \"mse\", \"temperature\": 0.2, \"dropout\": 0.5, \"weightDecay\": 0.01, "
                + "\"patience\": 0}");
        TagMapping.Settings m = RecommendSettings.mapping(s, 9);
        assertEquals(TagMapping.Loss.MSE, m.loss());
        assertEquals(0.2, m.temperature());
        assertEquals(0.5, m.dropout());
        assertEquals(0.01, m.weightDecay());
        assertEquals(0, m.patience());
        assertEquals(9, m.seed());
    }

    @Test
    void readsTheContextAndTuningSettings() {
        RecommendSpec d = read("{}");
        assertEquals(50, d.context());
        assertEquals(20.0, d.contextWeight());
        assertEquals(5.0, d.contextPower());
        assertEquals(1.0, RecommendSettings.mapping(d, 1).tuneTags());
        RecommendSpec s = read("{\"context\": 0, \"contextWeight\": 5, \"tuneTags\": 0}");
        assertEquals(0, s.context());
        assertEquals(5.0, s.contextWeight());
        assertEquals(0.0, RecommendSettings.mapping(s, 1).tuneTags());
        assertMessage("{\"context\": -1}", "p.json: recommend.context must be a whole number from 0");
        assertMessage("{\"contextWeight\": 0}", "p.json: recommend.contextWeight must be above 0");
        assertEquals(2.0, read("{\"contextPower\": 2}").contextPower());
        assertMessage("{\"contextPower\": 0}", "p.json: recommend.contextPower must be above 0");
        assertMessage("{\"tuneTags\": -1}", "p.json: recommend.tuneTags must be from 0 to 100");
    }

    @Test
    void badMappingSettingsAreOneLineNamingTheField() {
        assertMessage("{\"loss\": \"hinge\"}", "p.json: recommend.loss 'hinge'");
        assertMessage("{\"loss\": 3}", "p.json: recommend.loss must be a string");
        assertMessage("{\"temperature\": 0}", "p.json: recommend.temperature must be above 0");
        assertMessage("{\"temperature\": \"warm\"}", "p.json: recommend.temperature must be a number");
        assertMessage("{\"dropout\": 1}", "p.json: recommend.dropout must be from 0 to below 1");
        assertMessage("{\"weightDecay\": -1}", "p.json: recommend.weightDecay must be from 0");
        assertMessage("{\"patience\": 1.5}", "p.json: recommend.patience must be a whole number");
        assertMessage("{\"lossy\": 1}", "p.json: recommend: unknown field 'lossy'");
    }

    @Test
    void readsTheEnsembleAndRefusesWrongTypes() {
        assertEquals(1, read("{}").ensemble());
        assertEquals(5, read("{\"ensemble\": 5}").ensemble());
        assertMessage("{\"ensemble\": 0}", "p.json: recommend.ensemble must be a whole number from 1");
        assertMessage("{\"ensemble\": 51}", "p.json: recommend.ensemble must be from 1 to 50");
        assertMessage("{\"ensemble\": \"five\"}", "p.json: recommend.ensemble must be a whole number");
        assertMessage("{\"features\": \"raw\"}", "p.json: recommend.features must be a list");
        assertMessage("{\"features\": [1]}", "p.json: recommend.features must be a string");
        assertMessage("{\"stem\": \"yes\"}", "p.json: recommend.stem must be true or false");
        assertMessage("{\"field\": [\"hashtags\"]}", "p.json: recommend.field must be a string");
        assertEquals("fused", read("{}").serve());
        assertEquals("late", read("{\"serve\": \"late\"}").serve());
        assertMessage("{\"serve\": \"early\"}", "p.json: recommend.serve 'early' (expected fused");
    }

    private static void assertMessage(String json, String start) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> read(json));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
