namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// Held by the one process that runs a local cluster, for as long as it runs it: a second hub on the same folder
/// would otherwise find the cluster "left running", stop it and start it on another port under the first hub's feet.
/// It is an advisory lock on <c>{cluster}.lock</c> (.NET takes <c>flock</c> for <see cref="FileShare.None"/> on Unix),
/// which the operating system drops when its process dies, SIGKILL included, so a dead hub's cluster can be recovered.
/// </summary>
public sealed class ClusterLock : IDisposable
{
    private readonly FileStream _lock;

    private ClusterLock(FileStream @lock) => _lock = @lock;

    public static ClusterLock Acquire(string dataDirectory)
    {
        var path = dataDirectory + ".lock";
        // Who holds it, for the message of the one refused: the locked file itself cannot be read by another process.
        var ownerFile = dataDirectory + ".owner";
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            var owner = File.Exists(ownerFile) ? File.ReadAllText(ownerFile).Trim() : "a process that has not said who it is";
            throw new ClusterInUseException(
                $"The local PostgreSQL in {dataDirectory} is run by another ProductHub ({owner}), and a hub never takes over a cluster " +
                "another one is running. Stop that hub first, or give this one its own ProductHub__DataDirectory, or a connection " +
                "string (ConnectionStrings__ProductHub).");
        }
        File.WriteAllText(ownerFile, $"process {Environment.ProcessId} on {Environment.MachineName}, since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z");
        return new ClusterLock(stream);
    }

    public void Dispose() => _lock.Dispose();
}

public sealed class ClusterInUseException(string message) : Exception(message);
