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
    private const string Superuser = "postgres";

    /// <summary>
    /// Every connection, on the socket and on loopback TCP, needs the superuser's password (SCRAM): with initdb's
    /// default of trust any local account could connect as the superuser and run programs as the cluster's OS user.
    /// </summary>
    public const string HostBasedAuthentication = """
        # Written by ProductHub: every connection needs the password it keeps beside this cluster (SCRAM).
        local all all scram-sha-256
        host  all all 127.0.0.1/32 scram-sha-256

        """;
    private readonly string _binDir;
    private readonly string _dataDirectory;
    private readonly bool _asPostgresUser;
    private readonly ClusterLock _owner;
    private readonly EventHandler _stopOnExit;
    private int _disposed;
    private string _startOptions = "";
    private string _logFile = "";

    private LocalPostgres(string binDir, string dataDirectory, bool asPostgresUser, ClusterLock owner, int port, string password, string database)
    {
        _binDir = binDir;
        _dataDirectory = dataDirectory;
        _asPostgresUser = asPostgresUser;
        _owner = owner;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = Superuser, Password = password, Database = database,
            // Several hosts (tests run in parallel) share one server with max_connections=200.
            Pooling = true, MaxPoolSize = 50,
        }.ConnectionString;
        // A test run or a Ctrl-C'd hub must not leave a server behind; a SIGKILLed one is handled at next Start.
        _stopOnExit = (_, _) => Dispose();
        AppDomain.CurrentDomain.ProcessExit += _stopOnExit;
    }

    public string ConnectionString { get; }
    public int Port { get; }

    /// <summary>The cluster's folder (its log, socket folder, password and lock files are beside it).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>The folder of the server's Unix socket, which only the cluster's OS user may enter.</summary>
    public string SocketDirectory { get; private init; } = "";

    /// <summary>Whether a cluster can live in this folder: as root, the postgres OS user must be able to walk down to it.</summary>
    public static bool CanHost(string directory) =>
        !IsRoot() || BlockedParents(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + "/postgres") == "";

    public static LocalPostgres Start(string dataDirectory, string database, bool fast)
    {
        var binDir = FindBinDirectory();
        dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        Directory.CreateDirectory(Path.GetDirectoryName(dataDirectory) ?? throw new ArgumentException("The data directory cannot be /."));
        var owner = ClusterLock.Acquire(dataDirectory);
        try
        {
            return Start(binDir, dataDirectory, owner, database, fast);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>Where the superuser's password is kept: beside the cluster, readable by the hub's OS user only.</summary>
    public static string PasswordFile(string dataDirectory) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory)) + ".password";

    private static LocalPostgres Start(string binDir, string dataDirectory, ClusterLock owner, string database, bool fast)
    {
        var logFile = dataDirectory + ".log";
        // Our own socket folder: /var/run/postgresql may not exist or belong to the system cluster.
        // Unix socket paths are limited to ~107 bytes, so deep folders fall back to a short stable one in /tmp.
        var socketDir = dataDirectory + ".sock";
        if (socketDir.Length > 90)
            socketDir = Path.Combine("/tmp", "producthub-pg-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..12].ToLowerInvariant());

        Directory.CreateDirectory(dataDirectory);
        Directory.CreateDirectory(socketDir);
        // Only the cluster's OS user may enter the socket folder (a /tmp fallback must not be open to everyone).
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(socketDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
            // Trust only until Secure below, which runs before the server ever listens: initdb takes a password only
            // from a file the postgres OS user can read, and the hub's password file is the hub's alone.
            // --no-sync: a crash during initdb just means deleting the folder, and syncing costs seconds per test run.
            Check(Pg(asPostgresUser, binDir, "initdb", ["-D", dataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-locale", .. fast ? new[] { "--no-sync" } : []]), "initdb");
        }
        else if (Pg(asPostgresUser, binDir, "pg_ctl", ["status", "-D", dataDirectory]).ExitCode == 0)
        {
            // Left running by a hub that died without stopping it (SIGKILL): we hold the cluster's lock, so its owner
            // is gone. Its port is unknown, so restart it.
            Check(Pg(asPostgresUser, binDir, "pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"]), "pg_ctl stop");
        }
        var password = Secure(asPostgresUser, binDir, dataDirectory);

        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var options = $"-p {port} -k {ShellQuote(socketDir)} -c unix_socket_permissions=0700 -c listen_addresses=127.0.0.1 -c max_connections=200"
                          + (fast ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : "");
            var logStart = new FileInfo(logFile).Length;
            var (code, output) = Pg(asPostgresUser, binDir, "pg_ctl", ["-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", options, "start"]);
            if (code == 0)
            {
                var server = new LocalPostgres(binDir, dataDirectory, asPostgresUser, owner, port, password, database)
                {
                    _startOptions = options, _logFile = logFile, SocketDirectory = socketDir,
                };
                try { EnsureDatabase(server.ConnectionString, database); }
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
        _owner.Dispose();
    }

    /// <summary>
    /// Gives the superuser the password kept in <see cref="PasswordFile"/> (made now if there is none) and requires
    /// it for every connection, unless that is so already. The server is down, so this runs in single-user mode, which
    /// needs no authentication: a cluster an earlier hub made with trust is secured by the next start, with no window.
    /// </summary>
    private static string Secure(bool asPostgresUser, string binDir, string dataDirectory)
    {
        var passwordFile = PasswordFile(dataDirectory);
        var hba = Path.Combine(dataDirectory, "pg_hba.conf");
        var password = File.Exists(passwordFile) ? File.ReadAllText(passwordFile).Trim() : "";
        if (password.Length > 0 && File.ReadAllText(hba) == HostBasedAuthentication) return password;

        if (password.Length == 0)
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
            File.Delete(passwordFile);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(passwordFile, options);
            file.Write(Encoding.UTF8.GetBytes(password));
        }
        // On standard input, so that the password shows in no process list; base64url needs no quoting.
        var (code, output) = Pg(asPostgresUser, binDir, "postgres", ["--single", "-D", dataDirectory, "postgres"],
            $"ALTER ROLE {Superuser} PASSWORD '{password}'\n");
        if (code != 0 || output.Contains("ERROR", StringComparison.Ordinal))
            throw new InvalidOperationException($"Setting the password of the local PostgreSQL in {dataDirectory} failed (exit code {code}): {output}");
        File.WriteAllText(hba, HostBasedAuthentication);
        if (asPostgresUser) Check(Exec("chown", ["postgres:postgres", hba]), "chown");
        return password;
    }

    private static void EnsureDatabase(string connectionString, string database)
    {
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
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

    private static (int ExitCode, string Output) Pg(bool asPostgresUser, string binDir, string tool, string[] args, string? input = null)
    {
        var binary = Path.Combine(binDir, tool);
        return asPostgresUser ? Exec(RunUser, ["-u", "postgres", "--", binary, .. args], input) : Exec(binary, args, input);
    }

    private static (int ExitCode, string Output) Exec(string file, string[] args, string? input = null)
    {
        // "/" as working directory: as the postgres user, the caller's folder (e.g. /root) may be unreadable.
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null,
            UseShellExecute = false, WorkingDirectory = "/",
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
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
