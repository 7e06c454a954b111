package xner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrainingConfigTest {
    @Test
    void noWeightDecayOnBiasesAndLayerNormsOfEveryBody() {
        TrainingConfig recipe = TrainingConfig.chapter();
        for (String exempt : new String[] {"bert.encoder.layer.0.output.dense.bias", "bert.embeddings.LayerNorm.weight",
                "distilbert.transformer.layer.1.sa_layer_norm.weight", "distilbert.transformer.layer.1.output_layer_norm.weight",
                "vocab_layer_norm.weight"}) {
            assertEquals(0, recipe.weightDecayOf(exempt), exempt);
        }
        for (String decayed : new String[] {"bert.encoder.layer.0.attention.self.query.weight",
                "distilbert.transformer.layer.1.attention.q_lin.weight", "distilbert.transformer.layer.1.ffn.lin1.weight",
                "classifier.weight"}) {
            assertEquals(0.01, recipe.weightDecayOf(decayed), 1e-12, decayed);
        }
    }
}
