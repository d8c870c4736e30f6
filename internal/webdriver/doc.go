// Package webdriver drives a headless Chromium through chromedriver's W3C
// WebDriver HTTP API, for browser tests of the hub page.
//
// Start runs chromedriver on a free loopback port and opens a session on
// Chromium with a fresh profile directory; Close ends both. Only the few
// commands the tests need are implemented: navigate, find elements, type,
// click, read text and take screenshots.
package webdriver
