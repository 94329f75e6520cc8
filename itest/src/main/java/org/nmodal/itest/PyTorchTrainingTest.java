package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** The PyTorch engine published by nmodal.djl trains a block with autograd inside the framework. */
@ExtendWith(ServiceExtension.class)
class PyTorchTrainingTest {
    @InjectService(filter = "(nmodal.name=PyTorch)", timeout = 60_000)
    Engine pytorch;

    @Test
    void linearRegressionLossFallsAndWeightsAreRecovered() {
        pytorch.setRandomSeed(7);
        try (NDManager manager = pytorch.newBaseManager();
                Model model = Model.newInstance("linear", Device.cpu(), "PyTorch")) {
            NDArray x = manager.randomNormal(new Shape(256, 2));
            NDArray y = x.matMul(manager.create(new float[] {3f, -2f}, new Shape(2, 1))).add(1f);
            model.setBlock(Linear.builder().setUnits(1).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(256, 2));
                float first = Float.NaN;
                float last = Float.NaN;
                for (int step = 0; step < 150; step++) {
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(prediction));
                        gc.backward(loss);
                        last = loss.getFloat();
                        if (step == 0) {
                            first = last;
                        }
                    }
                    trainer.step();
                }
                assertTrue(last < first / 100, "loss went from " + first + " to " + last);
                float[] w = model.getBlock().getParameters().get("weight").getArray().toFloatArray();
                assertEquals(3f, w[0], 0.05f);
                assertEquals(-2f, w[1], 0.05f);
            }
        }
    }
}
