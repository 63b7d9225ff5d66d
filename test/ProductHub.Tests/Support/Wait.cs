namespace ProductHub.Tests.Support;

public static class Wait
{
    /// <summary>
    /// A bounded wait for something the hub does on its own time (a folder watcher's round, a scheduled retry):
    /// a limit on how long a test may hang, not a statement about speed.
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T?>> probe, string what, int seconds = 30) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Gave up waiting for {what}");
    }
}
