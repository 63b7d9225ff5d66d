using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// A private PostgreSQL cluster run straight from the distribution's binaries, used when no connection string
/// is configured: the hub in development keeps a persistent one under .data/, the tests a throwaway one in a
/// temp folder. Nothing is installed system-wide and the system's own cluster (if any) is left alone.
/// </summary>
public sealed class LocalPostgres : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);
    private readonly string _binDir;
    private readonly string _dataDirectory;
    private readonly bool _asPostgresUser;
    private readonly EventHandler _stopOnExit;
    private int _disposed;
    private string _startOptions = "";
    private string _logFile = "";

    private LocalPostgres(string binDir, string dataDirectory, bool asPostgresUser, int port, string database)
    {
        _binDir = binDir;
        _dataDirectory = dataDirectory;
        _asPostgresUser = asPostgresUser;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Database = database,
            // Several hosts (tests run in parallel) share one server with max_connections=200.
            Pooling = true, MaxPoolSize = 50,
        }.ConnectionString;
        // A test run or a Ctrl-C'd hub must not leave a server behind; a SIGKILLed one is handled at next Start.
        _stopOnExit = (_, _) => Dispose();
        AppDomain.CurrentDomain.ProcessExit += _stopOnExit;
    }

    public string ConnectionString { get; }
    public int Port { get; }

    /// <summary>Whether a cluster can live in this folder: as root, the postgres OS user must be able to walk down to it.</summary>
    public static bool CanHost(string directory) =>
        !IsRoot() || BlockedParents(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + "/postgres") == "";

    public static LocalPostgres Start(string dataDirectory, string database, bool fast)
    {
        var binDir = FindBinDirectory();
        dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var parent = Path.GetDirectoryName(dataDirectory) ?? throw new ArgumentException("The data directory cannot be /.");
        var name = Path.GetFileName(dataDirectory);
        var logFile = Path.Combine(parent, name + ".log");
        // Our own socket folder: /var/run/postgresql may not exist or belong to the system cluster.
        // Unix socket paths are limited to ~107 bytes, so deep folders fall back to a short stable one in /tmp.
        var socketDir = Path.Combine(parent, name + ".sock");
        if (socketDir.Length > 90)
            socketDir = Path.Combine("/tmp", "producthub-pg-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..12].ToLowerInvariant());

        Directory.CreateDirectory(dataDirectory);
        Directory.CreateDirectory(socketDir);
        if (!File.Exists(logFile)) File.WriteAllText(logFile, "");

        // initdb and postgres refuse to run as root (and CI runs as root), so then the cluster belongs to the
        // postgres OS user: it must own the files and be able to walk down to them.
        var asPostgresUser = IsRoot();
        if (asPostgresUser)
        {
            Check(Exec("chown", ["-R", "postgres:postgres", dataDirectory, socketDir, logFile]), "chown");
            if (Exec(RunUser, ["-u", "postgres", "--", "test", "-w", dataDirectory, "-a", "-x", dataDirectory]).ExitCode != 0)
                throw new InvalidOperationException(
                    $"Running as root, the local PostgreSQL runs as the 'postgres' OS user, which cannot reach {dataDirectory}. " +
                    $"Every parent folder must be traversable by it (chmod o+x){BlockedParents(dataDirectory)}, or use a data folder elsewhere.");
        }

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            // --no-sync: a crash during initdb just means deleting the folder, and syncing costs seconds per test run.
            Check(Pg(asPostgresUser, binDir, "initdb", ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", .. fast ? new[] { "--no-sync" } : []]), "initdb");
        }
        else if (Pg(asPostgresUser, binDir, "pg_ctl", ["status", "-D", dataDirectory]).ExitCode == 0)
        {
            // Left running by a previous owner that died without stopping it; its port is unknown, so restart it.
            Check(Pg(asPostgresUser, binDir, "pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"]), "pg_ctl stop");
        }

        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var options = $"-p {port} -k {ShellQuote(socketDir)} -c listen_addresses=127.0.0.1 -c max_connections=200"
                          + (fast ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : "");
            var logStart = new FileInfo(logFile).Length;
            var (code, output) = Pg(asPostgresUser, binDir, "pg_ctl", ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", options, "start"]);
            if (code == 0)
            {
                var server = new LocalPostgres(binDir, dataDirectory, asPostgresUser, port, database)
                {
                    _startOptions = options, _logFile = logFile,
                };
                try { EnsureDatabase(port, database); }
                catch { server.Dispose(); throw; }
                return server;
            }

            var log = LogTail(logFile, logStart);
            // The port was free a moment ago; someone may have taken it in between.
            if (attempt < 3 && log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)) continue;
            throw new InvalidOperationException(
                $"PostgreSQL in {dataDirectory} did not start (pg_ctl exit code {code}): {output}\n--- end of {logFile} ---\n{log}");
        }
    }

    /// <summary>Stops the server but keeps it: a database outage, as the fault tests stage one.</summary>
    public void Stop() =>
        Check(Pg(_asPostgresUser, _binDir, "pg_ctl", ["-D", _dataDirectory, "-m", "fast", "-w", "stop"]), "pg_ctl stop");

    /// <summary>Starts a stopped server again on the same port, so its clients can reconnect with what they have.</summary>
    public void Resume() =>
        Check(Pg(_asPostgresUser, _binDir, "pg_ctl", ["-D", _dataDirectory, "-l", _logFile, "-w", "-t", "60", "-o", _startOptions, "start"]), "pg_ctl start");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        AppDomain.CurrentDomain.ProcessExit -= _stopOnExit;
        try { Pg(_asPostgresUser, _binDir, "pg_ctl", ["-D", _dataDirectory, "-m", "fast", "-w", "stop"]); }
        catch (Exception) { /* already stopped or gone: nothing left to clean up */ }
    }

    private static void EnsureDatabase(int port, string database)
    {
        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false,
        };
        using var connection = new NpgsqlConnection(admin.ConnectionString);
        connection.Open();
        using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", connection))
        {
            exists.Parameters.AddWithValue("n", database);
            if (exists.ExecuteScalar() is not null) return;
        }
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
        try { create.ExecuteNonQuery(); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase) { /* created concurrently */ }
    }

    private static string FindBinDirectory()
    {
        var candidates = new List<string>();
        try
        {
            var (code, output) = Exec("pg_config", ["--bindir"]);
            if (code == 0) candidates.Add(output.Trim());
        }
        catch (System.ComponentModel.Win32Exception) { /* no pg_config on PATH */ }
        // Debian's pg_config may come from libpq-dev and say /usr/bin, where only wrappers live.
        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin")));

        string[] tools = ["initdb", "pg_ctl"];
        var found = candidates.FirstOrDefault(dir => tools.All(t => File.Exists(Path.Combine(dir, t))));
        if (found is not null) return found;
        var missing = tools.Where(t => !candidates.Any(dir => File.Exists(Path.Combine(dir, t))));
        throw new PostgresNotInstalledException(
            $"The PostgreSQL server binaries ({string.Join(", ", missing)}) were not found " +
            $"(looked in: {(candidates.Count == 0 ? "pg_config --bindir, /usr/lib/postgresql/*/bin" : string.Join(", ", candidates))}). " +
            "Install them with: sudo apt-get install -y postgresql " +
            "(or set the ConnectionStrings__ProductHub environment variable to use an existing server).");
    }

    private static (int ExitCode, string Output) Pg(bool asPostgresUser, string binDir, string tool, string[] args)
    {
        var binary = Path.Combine(binDir, tool);
        return asPostgresUser ? Exec(RunUser, ["-u", "postgres", "--", binary, .. args]) : Exec(binary, args);
    }

    private static (int ExitCode, string Output) Exec(string file, string[] args)
    {
        // "/" as working directory: as the postgres user, the caller's folder (e.g. /root) may be unreadable.
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/",
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* exited meanwhile */ }
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {CommandTimeout.TotalSeconds}s.");
        }
        process.WaitForExit();
        return (process.ExitCode, (stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult()).Trim());
    }

    private static string Check((int ExitCode, string Output) result, string what) =>
        result.ExitCode == 0 ? result.Output : throw new InvalidOperationException($"{what} failed (exit code {result.ExitCode}): {result.Output}");

    private static string RunUser => new[] { "/usr/sbin/runuser", "/sbin/runuser" }.FirstOrDefault(File.Exists) ?? "runuser";

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    private static bool IsRoot()
    {
        try { return GetEffectiveUserId() == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return Environment.UserName == "root"; }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    // pg_ctl hands -o to /bin/sh, so paths inside it need shell quoting.
    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    private static string LogTail(string logFile, long from)
    {
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
        var lines = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.TakeLast(30));
    }

    private static string BlockedParents(string directory)
    {
        if (OperatingSystem.IsWindows()) return "";
        var blocked = new List<string>();
        for (var dir = Path.GetDirectoryName(directory); dir is not null; dir = Path.GetDirectoryName(dir))
            if (Directory.Exists(dir) && (File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0) blocked.Add(dir);
        return blocked.Count == 0 ? "" : $"; not traversable: {string.Join(", ", blocked)}";
    }
}

public sealed class PostgresNotInstalledException(string message) : Exception(message);
