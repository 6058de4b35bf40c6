# Sourced wherever the service is started (.ci/up, the benchmarks): how its runtime is tuned. The project itself
# chooses the workstation collector (Hotspots.Web.csproj); the size of the first generation can only be given by
# the environment. 16 MB keeps a million-row import at ~250 MB resident instead of ~300 MB, and was no slower.
export DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x1000000}
