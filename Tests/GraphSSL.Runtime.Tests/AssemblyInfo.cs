// Parameter initialisation draws from libtorch's process-wide generator (torch.manual_seed), so two
// trainings running at once on different threads would interleave their draws and lose bit-for-bit
// determinism. Test classes here train models, so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
