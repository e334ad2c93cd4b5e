namespace GraphSSL.Benchmarks;

/// <summary>Scratch check: the generated SimCLR trainer with 1 and with 2 intra-op threads, alternated.</summary>
public static class ThreadCheck
{
    /// <summary>Prints per-epoch seconds for each thread count, three rounds.</summary>
    public static void Run(GraphData data, int hidden, TextWriter output)
    {
        for (int round = 0; round < 3; round++)
            foreach (var threads in new[] { 1, 2 })
            {
                var model = new BenchSimClr(new BenchGin { Hidden = hidden }, new BenchDropNodes(), new NtXent());
                using var r = model.Train(data, new TrainOptions { Epochs = 3, Seed = 1, Threads = threads });
                output.WriteLine($"threads {threads}: epochs {string.Join(", ", r.EpochSeconds.Select(s => s.ToString("F3")))} s");
            }
    }
}
