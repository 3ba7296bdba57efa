package glassbox.experiments;

import glassbox.nn.GradientCheck;
import glassbox.nn.Sequential;
import glassbox.nn.io.ModelFiles;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed CNNs' summaries against the notebooks' printed ones, and a whole-model round trip of the custom one. */
class SeedModelsTest {

    @Test
    void defaultModelSummaryMatchesTheSeedNotebook() {
        String s = SeedModels.fashionDefault(0).summary();
        assertTrue(s.contains("conv2d (Conv2D)") && s.contains("(None, 28, 28, 32)") && s.contains("320"), s);
        assertTrue(s.contains("max_pooling2d (MaxPooling2D)") && s.contains("(None, 14, 14, 32)"), s);
        assertTrue(s.contains("conv2d_1 (Conv2D)") && s.contains("9248"), s);
        assertTrue(s.contains("flatten (Flatten)") && s.contains("(None, 6272)"), s);
        assertTrue(s.contains("dense (Dense)") && s.contains("31365"), s);
        assertTrue(s.contains("Total params: 40,933\nTrainable params: 40,933\nNon-trainable params: 0"), s);
    }

    @Test
    void customModelSummaryMatchesTheSeedNotebook() {
        String s = SeedModels.fashionCustom(0).summary();
        assertTrue(s.contains("(None, 26, 26, 128)") && s.contains("36992"), s);
        assertTrue(s.contains("batch_normalization (BatchNormalization)") && s.contains("512"), s);
        assertTrue(s.contains("conv2d_2 (Conv2D)") && s.contains("73792"), s);
        assertTrue(s.contains("(None, 6, 6, 64)") && s.contains("(None, 2304)") && s.contains("147520"), s);
        assertTrue(s.contains("Total params: 259,717\nTrainable params: 259,333\nNon-trainable params: 384"), s);
    }

    @Test
    void savedCustomModelPredictsIdenticallyAfterLoading(@TempDir Path dir) throws Exception {
        Sequential model = SeedModels.fashionCustom(3);
        // move the batch statistics off their defaults, so the moving mean and variance must travel too
        model.compile(new glassbox.nn.loss.CategoricalCrossentropy(), new glassbox.nn.optim.Adam());
        Tensor x = GradientCheck.uniform(1, 0, 1, 16, 28, 28, 1);
        Tensor y = glassbox.data.Transforms.oneHot(new int[]{0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0}, 5);
        model.fit(x, y, glassbox.nn.FitOptions.defaults().withEpochs(2).withBatchSize(8).withVerbose(false));
        Path file = dir.resolve("custom.gbx");
        ModelFiles.save(model, file);
        Sequential loaded = ModelFiles.load(file);
        assertArrayEquals(model.predict(x).data(), loaded.predict(x).data());
    }
}
