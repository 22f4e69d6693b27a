# Sourced by the benchmarks that send a scenario to the API: the servers and workers
# run with --data-dir set to the clone's parent folder (which holds ../shared), and
# the scenario's relative paths are rewritten from that folder.
data_dir=$(cd .. && pwd)
clone=$(basename "$(pwd)")
# api_scenario NAME OUT: scenarios/NAME.toml with its paths relative to $data_dir.
api_scenario() {
  sed -e 's#= "\.\./\.\./#= "#' -e "s#= \"\\.\\./#= \"$clone/#" "scenarios/$1.toml" > "$2"
}
