"""Running Kindred as a long-lived service: log set-up (`logs`), signals and start-up retries
(`lifecycle`), the health file a container checks (`health`), and online backups (`backup`)."""
