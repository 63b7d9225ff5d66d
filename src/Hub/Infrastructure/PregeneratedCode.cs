using JasperFx;
using JasperFx.CodeGeneration;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// Whether this build carries Wolverine's handler code generated ahead of time (JasperFx's <c>codegen write</c>,
/// compiled in by <c>scripts/build-hub.sh</c>). A hub outside Development then loads it and never runs the compiler
/// at start (<see cref="TypeLoadMode.Static"/>), and a handler or endpoint without its generated type stops the
/// start rather than being compiled late. A build without it compiles at start, as in development.
/// </summary>
public static class PregeneratedCode
{
    public static bool IsCompiledIn { get; } =
        typeof(PregeneratedCode).Assembly.GetType("Internal.Generated.WolverineHandlers.GeneratedHandlerRegistry") is not null;

    public static void Configure(IServiceCollection services) => services.CritterStackDefaults(defaults =>
    {
        defaults.Production.GeneratedCodeMode = IsCompiledIn ? TypeLoadMode.Static : TypeLoadMode.Dynamic;
        defaults.Production.AssertAllPreGeneratedTypesExist = IsCompiledIn;
    });

    /// <summary>Says how the handler code was built, once the hub's logger exists.</summary>
    public static void Log(WebApplication app)
    {
        if (app.Environment.IsDevelopment()) return;
        if (IsCompiledIn) app.Logger.LogInformation("Handler code: pre-generated, loaded without compiling");
        else app.Logger.LogWarning("Handler code: compiled at start, as this build has none pre-generated (scripts/build-hub.sh builds it in)");
    }
}
