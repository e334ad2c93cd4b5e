namespace GraphSSL.Data;

/// <summary>
/// <see cref="DatasetResolver.Resolve(string, string?, IProgress{string}?)"/> found a dataset neither on disk nor online. The message lists every
/// place it looked and how to make the dataset available.
/// </summary>
public sealed class DatasetNotFoundException : DirectoryNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="dataset">The dataset name that was asked for.</param>
    /// <param name="searchedDirectories">Every directory looked in, in order.</param>
    /// <param name="message">The full explanation.</param>
    /// <param name="inner">The download failure, if a download was attempted.</param>
    public DatasetNotFoundException(string dataset, IReadOnlyList<string> searchedDirectories, string message, Exception? inner = null)
        : base(message, inner)
    {
        Dataset = dataset;
        SearchedDirectories = searchedDirectories;
    }

    /// <summary>The dataset name that was asked for.</summary>
    public string Dataset { get; }

    /// <summary>Every directory looked in, in order.</summary>
    public IReadOnlyList<string> SearchedDirectories { get; }
}
