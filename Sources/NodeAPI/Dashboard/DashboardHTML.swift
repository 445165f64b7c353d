enum DashboardHTML { static let page = "<!doctype html><title>Tidepool</title>" }
