using Marten;
using Microsoft.AspNetCore.DataProtection;
using ProductHub.Hub.Infrastructure;

namespace ProductHub.Hub.Security.Secrets;

public static class Configuration
{
    /// <summary>The application name every node of one hub uses, so that they read each other's ciphertexts.</summary>
    public const string ApplicationName = "ProductHub";

    /// <summary>
    /// Data Protection with its key ring in <c>ProductHub:Secrets:KeysDirectory</c>, or <c>{DataDirectory}/keys</c>.
    /// Files rather than the database: a copy or a backup of the database then holds ciphertexts without their keys.
    /// Nodes of one hub point the setting at one shared folder. The explicit application name stands in for the
    /// framework's default (the content root path), which differs between nodes and would make them unable to read
    /// each other's secrets. The same key ring also protects the workbench's sign-in cookie, which thereby survives a
    /// restart.
    /// </summary>
    public static IServiceCollection AddSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToFileSystem(KeysDirectory(configuration));
        services.AddSingleton<SecretStore>();
        // A hosted service that runs before Wolverine's and the webhook pump's (registered after it), so senders find legacy secrets moved.
        services.AddHostedService<LegacySecrets>();
        return services;
    }

    public static StoreOptions ConfigureSecrets(this StoreOptions opts)
    {
        opts.Schema.For<StoredSecret>();
        opts.Schema.For<LegacySecretsMoved>();
        return opts;
    }

    /// <summary>
    /// The key ring's folder, made readable by the hub's OS user only (0700) when the hub creates it. Only the folder
    /// itself: its parent (the data folder) must stay open to the postgres OS user.
    /// </summary>
    public static DirectoryInfo KeysDirectory(IConfiguration configuration)
    {
        var path = Path.GetFullPath(configuration["ProductHub:Secrets:KeysDirectory"] ?? Path.Combine(DataFolder.Of(configuration), "keys"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
