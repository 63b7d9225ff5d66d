using System.Text.Json;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// Files other systems drop into folders the hub watches. A writer that does not rename into place may still be
/// writing, so a file is taken only once it has not changed for a moment. A file dealt with moves to a folder beside
/// it: one refused goes to <c>failed/</c> with a <c>.errors.json</c> naming what was wrong.
/// </summary>
public static class DroppedFiles
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IEnumerable<string> Settled(IEnumerable<string> files) =>
        files.Where(f => DateTime.UtcNow - File.GetLastWriteTimeUtc(f) >= Settle);

    /// <summary>Moves the file into <paramref name="into"/> beside it, stamped so that a name dropped again never collides.</summary>
    public static string Move(string file, string into)
    {
        var target = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(file)!, into)).FullName;
        var moved = Path.Combine(target, $"{Path.GetFileNameWithoutExtension(file)}.{DateTime.UtcNow:yyyyMMddHHmmssfff}{Path.GetExtension(file)}");
        File.Move(file, moved);
        return moved;
    }

    /// <summary>Moves a refused file to <c>failed/</c> and writes its errors, by field, beside it.</summary>
    public static async Task SetAsideAsync(string file, IReadOnlyDictionary<string, string[]> errors, CancellationToken ct)
    {
        var moved = Move(file, "failed");
        await File.WriteAllTextAsync(moved + ".errors.json", JsonSerializer.Serialize(errors, Indented), ct);
    }
}
