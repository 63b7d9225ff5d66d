namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// Files other systems drop into folders the hub watches. A writer that does not rename into place may still be
/// writing, so a file is taken only once it has not changed for a moment.
/// </summary>
public static class DroppedFiles
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static IEnumerable<string> Settled(IEnumerable<string> files) =>
        files.Where(f => DateTime.UtcNow - File.GetLastWriteTimeUtc(f) >= Settle);
}
