using Workbench.Envs;

namespace Workbench.Tests.Envs;

public class FashionMnistTests
{
    [FashionFact]
    public void Dataset_has_60000_train_and_10000_test_images_balanced_over_classes()
    {
        var data = FashionMnist.Default;
        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal(60_000 * 784, data.Train.Images.Length);
        for (int k = 0; k < FashionMnist.ClassCount; k++)
        {
            Assert.Equal(6_000, data.Train.IndicesByClass[k].Count);
            Assert.Equal(1_000, data.Test.IndicesByClass[k].Count);
        }
    }

    [FashionFact]
    public void Images_are_pictures_not_blank()
    {
        var data = FashionMnist.Default;
        for (int i = 0; i < 100; i++)
        {
            var img = data.Train.Image(i).Span;
            int lit = 0;
            foreach (byte b in img) if (b > 0) lit++;
            Assert.InRange(lit, 50, 784);
        }
    }

    [Fact]
    public void Missing_dataset_fails_with_a_message_naming_the_package()
    {
        var dir = Path.Combine(Path.GetTempPath(), "no-fashion-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Assert.False(FashionMnist.IsAvailable(dir));
            var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir));
            Assert.Contains("dataset-fashion-mnist", e.Message);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void Idx_reader_rejects_files_that_are_not_idx()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);
            Assert.Throws<InvalidDataException>(() => FashionMnist.ReadIdx(path, 1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [FashionFact]
    public void FashionGrid_missions_name_a_class_present_in_the_room_and_pixels_show_the_picture()
    {
        var env = LevelRegistry.Create("FashionGoTo");
        for (int seed = 0; seed < 30; seed++)
        {
            env.Reset(seed);
            var items = env.Grid.Objects().ToList();
            Assert.Equal(FashionLevels.Items, items.Count);
            Assert.Equal(FashionLevels.Items, items.Select(i => i.FashionClass).Distinct().Count());
            Assert.Contains(items, i => env.Mission == "go to the " + FashionMnist.MissionName(i.FashionClass));
        }
        // The symbolic view does not reveal the class: every item encodes the same.
        Assert.All(env.Grid.Objects(), o => Assert.Equal((ObjectType.FashionItem, Color.Grey), (o.Type, o.Color)));
    }
}
