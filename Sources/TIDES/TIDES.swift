// TIDES payout engine: see TIDES.swift
