{
	"patcher" : {
		"fileversion" : 1,
		"appversion" : {
			"major" : 8,
			"minor" : 6,
			"revision" : 0,
			"architecture" : "x64",
			"modernui" : 1
		},
		"classnamespace" : "box",
		"rect" : [
			100.0,
			100.0,
			1400.0,
			900.0
		],
		"openrect" : [
			0.0,
			0.0,
			420.0,
			169.0
		],
		"openinpresentation" : 1,
		"default_fontsize" : 10.0,
		"default_fontname" : "Arial Bold",
		"gridsize" : [
			8.0,
			8.0
		],
		"devicewidth" : 420.0,
		"latency" : 0,
		"is_mpe" : 0,
		"minimum_live_version" : "",
		"boxes" : [
			{
				"box" : {
					"id" : "obj-1",
					"maxclass" : "newobj",
					"text" : "udpsend 127.0.0.1 7400",
					"patching_rect" : [
						620.0,
						900.0,
						166.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-2",
					"maxclass" : "newobj",
					"text" : "udpreceive 7401",
					"patching_rect" : [
						620.0,
						20.0,
						117.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-3",
					"maxclass" : "newobj",
					"text" : "node.script jam_launcher.js @autostart 1",
					"patching_rect" : [
						20.0,
						900.0,
						292.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-4",
					"maxclass" : "comment",
					"text" : "Jam Bridge",
					"patching_rect" : [
						20.0,
						600.0,
						82.0,
						20.0
					],
					"fontsize" : 14.0,
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						4.0,
						110.0,
						20.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-5",
					"maxclass" : "comment",
					"text" : "link",
					"patching_rect" : [
						20.0,
						630.0,
						40.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						350.0,
						5.0,
						34.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-6",
					"maxclass" : "live.toggle",
					"parameter_enable" : 0,
					"varname" : "link",
					"patching_rect" : [
						60.0,
						630.0,
						14.0,
						14.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						388.0,
						7.0,
						14.0,
						14.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Link",
							"parameter_shortname" : "Link",
							"parameter_type" : 2,
							"parameter_enum" : [
								"off",
								"on"
							]
						}
					},
					"ignoreclick" : 1,
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-7",
					"maxclass" : "comment",
					"text" : "Checkpoint",
					"patching_rect" : [
						120.0,
						630.0,
						82.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						28.0,
						66.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-8",
					"maxclass" : "live.menu",
					"parameter_enable" : 1,
					"varname" : "checkpoint",
					"patching_rect" : [
						120.0,
						660.0,
						120.0,
						18.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						76.0,
						28.0,
						120.0,
						18.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Checkpoint",
							"parameter_shortname" : "Checkpoint",
							"parameter_type" : 2,
							"parameter_enum" : [
								"gapt-0.25",
								"gapt-1.0",
								"gapt-4.0",
								"mle",
								"rl",
								"blend"
							],
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								1
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-9",
					"maxclass" : "comment",
					"text" : "Output",
					"patching_rect" : [
						500.0,
						630.0,
						54.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						204.0,
						28.0,
						46.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-10",
					"maxclass" : "live.tab",
					"parameter_enable" : 1,
					"varname" : "output",
					"patching_rect" : [
						500.0,
						660.0,
						160.0,
						18.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						252.0,
						28.0,
						160.0,
						18.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Output",
							"parameter_shortname" : "Output",
							"parameter_type" : 2,
							"parameter_enum" : [
								"midi",
								"audio",
								"both"
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-11",
					"maxclass" : "live.dial",
					"parameter_enable" : 1,
					"varname" : "blend",
					"patching_rect" : [
						260.0,
						660.0,
						46.0,
						48.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						50.0,
						46.0,
						48.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Blend",
							"parameter_shortname" : "Blend",
							"parameter_type" : 0,
							"parameter_mmin" : 0.0,
							"parameter_mmax" : 1.0,
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								0.5
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-12",
					"maxclass" : "live.dial",
					"parameter_enable" : 1,
					"varname" : "temperature",
					"patching_rect" : [
						340.0,
						660.0,
						46.0,
						48.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						56.0,
						50.0,
						46.0,
						48.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Temperature",
							"parameter_shortname" : "Temp",
							"parameter_type" : 0,
							"parameter_mmin" : 0.0,
							"parameter_mmax" : 3.0,
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								0.9
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-13",
					"maxclass" : "live.dial",
					"parameter_enable" : 1,
					"varname" : "lookahead",
					"patching_rect" : [
						420.0,
						660.0,
						46.0,
						48.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						104.0,
						50.0,
						46.0,
						48.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Lookahead",
							"parameter_shortname" : "Ahead",
							"parameter_type" : 0,
							"parameter_mmin" : 0.25,
							"parameter_mmax" : 8.0,
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								2.0
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-14",
					"maxclass" : "live.dial",
					"parameter_enable" : 1,
					"varname" : "recall",
					"patching_rect" : [
						1080.0,
						660.0,
						46.0,
						48.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						152.0,
						50.0,
						46.0,
						48.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Recall",
							"parameter_shortname" : "Recall",
							"parameter_type" : 0,
							"parameter_mmin" : 0.0,
							"parameter_mmax" : 32.0,
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								6.0
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-15",
					"maxclass" : "comment",
					"text" : "Voicing",
					"patching_rect" : [
						580.0,
						630.0,
						61.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						204.0,
						50.0,
						46.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-16",
					"maxclass" : "live.tab",
					"parameter_enable" : 1,
					"varname" : "voicing",
					"patching_rect" : [
						580.0,
						660.0,
						100.0,
						18.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						252.0,
						50.0,
						100.0,
						18.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Voicing",
							"parameter_shortname" : "Voicing",
							"parameter_type" : 2,
							"parameter_enum" : [
								"bass",
								"close"
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-17",
					"maxclass" : "comment",
					"text" : "Grid",
					"patching_rect" : [
						1000.0,
						630.0,
						40.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						204.0,
						72.0,
						46.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-18",
					"maxclass" : "live.tab",
					"parameter_enable" : 1,
					"varname" : "grid",
					"patching_rect" : [
						1000.0,
						660.0,
						160.0,
						18.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						252.0,
						72.0,
						160.0,
						18.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Grid",
							"parameter_shortname" : "Grid",
							"parameter_type" : 2,
							"parameter_enum" : [
								"16th",
								"beat",
								"half",
								"bar"
							],
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								1
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-19",
					"maxclass" : "comment",
					"text" : "Chord ch",
					"patching_rect" : [
						660.0,
						630.0,
						68.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						204.0,
						94.0,
						56.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-20",
					"maxclass" : "live.numbox",
					"parameter_enable" : 1,
					"varname" : "channel",
					"patching_rect" : [
						660.0,
						660.0,
						40.0,
						18.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						262.0,
						94.0,
						40.0,
						18.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Chord channel",
							"parameter_shortname" : "Chord ch",
							"parameter_type" : 1,
							"parameter_mmin" : 1.0,
							"parameter_mmax" : 16.0,
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								2
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-21",
					"maxclass" : "comment",
					"text" : "Thru",
					"patching_rect" : [
						720.0,
						630.0,
						40.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						306.0,
						94.0,
						30.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-22",
					"maxclass" : "live.toggle",
					"parameter_enable" : 1,
					"varname" : "thru",
					"patching_rect" : [
						720.0,
						660.0,
						14.0,
						14.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						338.0,
						96.0,
						14.0,
						14.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Thru",
							"parameter_shortname" : "Thru",
							"parameter_type" : 2,
							"parameter_enum" : [
								"off",
								"on"
							],
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								1
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-23",
					"maxclass" : "live.button",
					"parameter_enable" : 1,
					"varname" : "reset",
					"patching_rect" : [
						780.0,
						660.0,
						16.0,
						16.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						360.0,
						94.0,
						16.0,
						16.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Reset",
							"parameter_shortname" : "Reset",
							"parameter_type" : 2,
							"parameter_enum" : [
								"off",
								"on"
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-24",
					"maxclass" : "comment",
					"text" : "Reset",
					"patching_rect" : [
						780.0,
						630.0,
						47.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						378.0,
						94.0,
						36.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-25",
					"maxclass" : "comment",
					"text" : "Port",
					"patching_rect" : [
						840.0,
						630.0,
						40.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						102.0,
						30.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-26",
					"maxclass" : "live.numbox",
					"parameter_enable" : 1,
					"varname" : "port",
					"patching_rect" : [
						840.0,
						660.0,
						50.0,
						18.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						40.0,
						102.0,
						50.0,
						18.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Port",
							"parameter_shortname" : "Port",
							"parameter_type" : 1,
							"parameter_mmin" : 1024.0,
							"parameter_mmax" : 65535.0,
							"parameter_initial_enable" : 1,
							"parameter_initial" : [
								7400
							]
						}
					},
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-27",
					"maxclass" : "comment",
					"text" : "Blend: rl to gapt-4.0",
					"patching_rect" : [
						900.0,
						630.0,
						159.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						96.0,
						102.0,
						104.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-28",
					"maxclass" : "comment",
					"text" : "-",
					"patching_rect" : [
						20.0,
						700.0,
						30.0,
						20.0
					],
					"fontsize" : 14.0,
					"varname" : "status_chord",
					"presentation" : 1,
					"presentation_rect" : [
						124.0,
						2.0,
						76.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-29",
					"maxclass" : "comment",
					"text" : "gapt-1.0",
					"patching_rect" : [
						120.0,
						700.0,
						68.0,
						20.0
					],
					"varname" : "status_checkpoint",
					"presentation" : 1,
					"presentation_rect" : [
						204.0,
						6.0,
						142.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-30",
					"maxclass" : "comment",
					"text" : "latency -",
					"patching_rect" : [
						260.0,
						700.0,
						75.0,
						20.0
					],
					"varname" : "status_latency",
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						124.0,
						120.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-31",
					"maxclass" : "comment",
					"text" : "bridge 127.0.0.1",
					"patching_rect" : [
						400.0,
						700.0,
						124.0,
						20.0
					],
					"varname" : "status_bridge",
					"presentation" : 1,
					"presentation_rect" : [
						130.0,
						124.0,
						172.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-32",
					"maxclass" : "comment",
					"text" : "Secret",
					"patching_rect" : [
						1100.0,
						630.0,
						54.0,
						20.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						304.0,
						124.0,
						38.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-33",
					"maxclass" : "textedit",
					"parameter_enable" : 1,
					"varname" : "secret",
					"patching_rect" : [
						1100.0,
						660.0,
						70.0,
						18.0
					],
					"presentation" : 1,
					"presentation_rect" : [
						342.0,
						124.0,
						70.0,
						18.0
					],
					"saved_attribute_attributes" : {
						"valueof" : {
							"parameter_longname" : "Secret",
							"parameter_shortname" : "Secret",
							"parameter_type" : 3,
							"parameter_invisible" : 1
						}
					},
					"numinlets" : 1,
					"numoutlets" : 4,
					"outlettype" : [
						"",
						"int",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-34",
					"maxclass" : "comment",
					"text" : "no errors",
					"patching_rect" : [
						560.0,
						700.0,
						75.0,
						20.0
					],
					"varname" : "status_error",
					"presentation" : 1,
					"presentation_rect" : [
						8.0,
						146.0,
						404.0,
						18.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-35",
					"maxclass" : "newobj",
					"text" : "live.thisdevice",
					"patching_rect" : [
						20.0,
						20.0,
						117.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-36",
					"maxclass" : "newobj",
					"text" : "t b b b b b b b",
					"patching_rect" : [
						20.0,
						50.0,
						117.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 7,
					"outlettype" : [
						"bang",
						"bang",
						"bang",
						"bang",
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-37",
					"maxclass" : "message",
					"text" : "path this_device",
					"patching_rect" : [
						20.0,
						90.0,
						124.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-38",
					"maxclass" : "newobj",
					"text" : "live.path",
					"patching_rect" : [
						20.0,
						120.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-39",
					"maxclass" : "newobj",
					"text" : "route id",
					"patching_rect" : [
						20.0,
						150.0,
						68.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-40",
					"maxclass" : "newobj",
					"text" : "expr 7401+$i1%500",
					"patching_rect" : [
						20.0,
						180.0,
						131.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-41",
					"maxclass" : "newobj",
					"text" : "t i i i",
					"patching_rect" : [
						20.0,
						210.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"int",
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-42",
					"maxclass" : "message",
					"text" : "port $1",
					"patching_rect" : [
						120.0,
						240.0,
						61.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-43",
					"maxclass" : "message",
					"text" : "/jam/hello 7401",
					"patching_rect" : [
						20.0,
						300.0,
						117.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-44",
					"maxclass" : "newobj",
					"text" : "prepend set /jam/hello",
					"patching_rect" : [
						20.0,
						240.0,
						166.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-45",
					"maxclass" : "newobj",
					"text" : "prepend /jam/hello 7401",
					"patching_rect" : [
						1100.0,
						760.0,
						173.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-46",
					"maxclass" : "newobj",
					"text" : "prepend set /jam/hello",
					"patching_rect" : [
						1100.0,
						240.0,
						166.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-47",
					"maxclass" : "newobj",
					"text" : "route text",
					"patching_rect" : [
						1100.0,
						700.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-48",
					"maxclass" : "newobj",
					"text" : "route bang",
					"patching_rect" : [
						1100.0,
						730.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-49",
					"maxclass" : "newobj",
					"text" : "t b i i",
					"patching_rect" : [
						840.0,
						700.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-50",
					"maxclass" : "message",
					"text" : "port $1",
					"patching_rect" : [
						900.0,
						730.0,
						61.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-51",
					"maxclass" : "message",
					"text" : "start $1",
					"patching_rect" : [
						840.0,
						730.0,
						68.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-52",
					"maxclass" : "newobj",
					"text" : "t b",
					"patching_rect" : [
						20.0,
						270.0,
						33.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-53",
					"maxclass" : "message",
					"text" : "path live_set",
					"patching_rect" : [
						260.0,
						90.0,
						103.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-54",
					"maxclass" : "newobj",
					"text" : "delay 3000",
					"patching_rect" : [
						960.0,
						150.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-55",
					"maxclass" : "message",
					"text" : "1",
					"patching_rect" : [
						220.0,
						120.0,
						30.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-56",
					"maxclass" : "newobj",
					"text" : "t i i",
					"patching_rect" : [
						220.0,
						150.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-57",
					"maxclass" : "newobj",
					"text" : "metro 1000",
					"patching_rect" : [
						220.0,
						180.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-58",
					"maxclass" : "message",
					"text" : "/jam/ping 1",
					"patching_rect" : [
						220.0,
						210.0,
						89.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-59",
					"maxclass" : "newobj",
					"text" : "metro 16n @quantize 16n",
					"patching_rect" : [
						1000.0,
						20.0,
						173.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-60",
					"maxclass" : "newobj",
					"text" : "freebang",
					"patching_rect" : [
						20.0,
						960.0,
						68.0,
						22.0
					],
					"numinlets" : 0,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-61",
					"maxclass" : "newobj",
					"text" : "t b b b",
					"patching_rect" : [
						20.0,
						990.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-62",
					"maxclass" : "message",
					"text" : "/jam/bye",
					"patching_rect" : [
						100.0,
						1020.0,
						68.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-63",
					"maxclass" : "message",
					"text" : "stop",
					"patching_rect" : [
						20.0,
						1020.0,
						40.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-64",
					"maxclass" : "newobj",
					"text" : "route status",
					"patching_rect" : [
						20.0,
						930.0,
						96.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-65",
					"maxclass" : "newobj",
					"text" : "prepend set bridge",
					"patching_rect" : [
						120.0,
						930.0,
						138.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-66",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set temperature",
					"patching_rect" : [
						340.0,
						760.0,
						208.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-67",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set output",
					"patching_rect" : [
						500.0,
						760.0,
						173.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-68",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set voicing",
					"patching_rect" : [
						580.0,
						760.0,
						180.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-69",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set grid",
					"patching_rect" : [
						1000.0,
						760.0,
						159.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-70",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set recall",
					"patching_rect" : [
						1080.0,
						760.0,
						173.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-71",
					"maxclass" : "newobj",
					"text" : "t f f",
					"patching_rect" : [
						420.0,
						730.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"float",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-72",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set lookahead_beats",
					"patching_rect" : [
						420.0,
						760.0,
						236.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-73",
					"maxclass" : "newobj",
					"text" : "expr int($f1*4+2.5)",
					"patching_rect" : [
						480.0,
						790.0,
						145.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-74",
					"maxclass" : "newobj",
					"text" : "route blend",
					"patching_rect" : [
						120.0,
						730.0,
						89.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-75",
					"maxclass" : "newobj",
					"text" : "prepend /jam/checkpoint",
					"patching_rect" : [
						120.0,
						760.0,
						173.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-76",
					"maxclass" : "newobj",
					"text" : "speedlim 100",
					"patching_rect" : [
						260.0,
						730.0,
						96.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-77",
					"maxclass" : "newobj",
					"text" : "t f b",
					"patching_rect" : [
						260.0,
						760.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"float",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-78",
					"maxclass" : "message",
					"text" : "set 5",
					"patching_rect" : [
						320.0,
						790.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-79",
					"maxclass" : "message",
					"text" : "/jam/blend rl gapt-4.0 $1",
					"patching_rect" : [
						260.0,
						820.0,
						187.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-80",
					"maxclass" : "newobj",
					"text" : "t b b b",
					"patching_rect" : [
						780.0,
						700.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-81",
					"maxclass" : "message",
					"text" : "/jam/reset",
					"patching_rect" : [
						780.0,
						730.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-82",
					"maxclass" : "newobj",
					"text" : "midiin",
					"patching_rect" : [
						320.0,
						20.0,
						54.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-83",
					"maxclass" : "newobj",
					"text" : "midiout",
					"patching_rect" : [
						320.0,
						420.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 0
				}
			},
			{
				"box" : {
					"id" : "obj-84",
					"maxclass" : "newobj",
					"text" : "t i i",
					"patching_rect" : [
						320.0,
						50.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-85",
					"maxclass" : "newobj",
					"text" : "gate 1 1",
					"patching_rect" : [
						320.0,
						390.0,
						68.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-86",
					"maxclass" : "newobj",
					"text" : "midiparse",
					"patching_rect" : [
						380.0,
						60.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 8,
					"outlettype" : [
						"",
						"",
						"",
						"int",
						"int",
						"",
						"int",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-87",
					"maxclass" : "newobj",
					"text" : "t l b",
					"patching_rect" : [
						380.0,
						90.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-88",
					"maxclass" : "newobj",
					"text" : "transport",
					"patching_rect" : [
						440.0,
						120.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 9,
					"outlettype" : [
						"int",
						"int",
						"float",
						"float",
						"float",
						"",
						"int",
						"float",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-89",
					"maxclass" : "newobj",
					"text" : "expr $f1/480.",
					"patching_rect" : [
						440.0,
						150.0,
						103.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-90",
					"maxclass" : "newobj",
					"text" : "pack i i f",
					"patching_rect" : [
						380.0,
						180.0,
						82.0,
						22.0
					],
					"numinlets" : 3,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-91",
					"maxclass" : "newobj",
					"text" : "prepend /jam/note",
					"patching_rect" : [
						380.0,
						210.0,
						131.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-92",
					"maxclass" : "newobj",
					"text" : "midiformat",
					"patching_rect" : [
						320.0,
						370.0,
						82.0,
						22.0
					],
					"numinlets" : 7,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-93",
					"maxclass" : "newobj",
					"text" : "t i b",
					"patching_rect" : [
						660.0,
						700.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-94",
					"maxclass" : "newobj",
					"text" : "zl reg",
					"patching_rect" : [
						1000.0,
						470.0,
						54.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-95",
					"maxclass" : "newobj",
					"text" : "t b b",
					"patching_rect" : [
						1000.0,
						440.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-96",
					"maxclass" : "message",
					"text" : "zlclear",
					"patching_rect" : [
						1060.0,
						440.0,
						61.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-97",
					"maxclass" : "newobj",
					"text" : "iter",
					"patching_rect" : [
						1000.0,
						500.0,
						40.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-98",
					"maxclass" : "newobj",
					"text" : "pack 0 0",
					"patching_rect" : [
						1000.0,
						530.0,
						68.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-99",
					"maxclass" : "newobj",
					"text" : "zl reg",
					"patching_rect" : [
						900.0,
						560.0,
						54.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-100",
					"maxclass" : "newobj",
					"text" : "t b",
					"patching_rect" : [
						900.0,
						530.0,
						33.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-101",
					"maxclass" : "newobj",
					"text" : "route nochord",
					"patching_rect" : [
						700.0,
						340.0,
						103.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-102",
					"maxclass" : "newobj",
					"text" : "t b b b",
					"patching_rect" : [
						620.0,
						370.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-103",
					"maxclass" : "message",
					"text" : "set -",
					"patching_rect" : [
						620.0,
						400.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-104",
					"maxclass" : "newobj",
					"text" : "t l b b",
					"patching_rect" : [
						760.0,
						370.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-105",
					"maxclass" : "newobj",
					"text" : "zl slice 1",
					"patching_rect" : [
						760.0,
						400.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-106",
					"maxclass" : "newobj",
					"text" : "prepend set",
					"patching_rect" : [
						760.0,
						430.0,
						89.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-107",
					"maxclass" : "newobj",
					"text" : "t l",
					"patching_rect" : [
						700.0,
						460.0,
						33.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-108",
					"maxclass" : "newobj",
					"text" : "t l l",
					"patching_rect" : [
						840.0,
						430.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-109",
					"maxclass" : "newobj",
					"text" : "iter",
					"patching_rect" : [
						840.0,
						460.0,
						40.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-110",
					"maxclass" : "newobj",
					"text" : "pack 0 90",
					"patching_rect" : [
						840.0,
						490.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-111",
					"maxclass" : "newobj",
					"text" : "route /jam/chord /jam/nochord /jam/ready /jam/pong /jam/status /jam/error",
					"patching_rect" : [
						620.0,
						50.0,
						523.0,
						22.0
					],
					"numinlets" : 7,
					"numoutlets" : 7,
					"outlettype" : [
						"",
						"",
						"",
						"",
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-112",
					"maxclass" : "newobj",
					"text" : "coll",
					"patching_rect" : [
						700.0,
						300.0,
						40.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 4,
					"outlettype" : [
						"",
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-113",
					"maxclass" : "newobj",
					"text" : "t i i",
					"patching_rect" : [
						620.0,
						140.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-114",
					"maxclass" : "newobj",
					"text" : "expr $i1-$i2*($i3<$i4)*($i1>=$i4)*($i4-$i5)",
					"patching_rect" : [
						680.0,
						170.0,
						313.0,
						22.0
					],
					"numinlets" : 5,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-115",
					"maxclass" : "newobj",
					"text" : "prepend 0",
					"patching_rect" : [
						700.0,
						270.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-116",
					"maxclass" : "newobj",
					"text" : "t i i i",
					"patching_rect" : [
						680.0,
						190.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"int",
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-117",
					"maxclass" : "message",
					"text" : "set $1",
					"patching_rect" : [
						700.0,
						210.0,
						54.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-118",
					"maxclass" : "newobj",
					"text" : "expr (($i1>$i2)*($i1-$i2<=$i4)+(($i1>$i2)*($i1-$i2<=$i4)==0)*($i6<=$i2)*($i2<$i6+$i5)*($i3<$i6)*2)*($i7>0)",
					"patching_rect" : [
						620.0,
						210.0,
						754.0,
						22.0
					],
					"numinlets" : 7,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-119",
					"maxclass" : "newobj",
					"text" : "expr $i1<=$i2+1",
					"patching_rect" : [
						560.0,
						190.0,
						117.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-120",
					"maxclass" : "newobj",
					"text" : "sel 1",
					"patching_rect" : [
						560.0,
						215.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-121",
					"maxclass" : "message",
					"text" : "1",
					"patching_rect" : [
						560.0,
						240.0,
						30.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-122",
					"maxclass" : "newobj",
					"text" : "gate 2",
					"patching_rect" : [
						620.0,
						240.0,
						54.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-123",
					"maxclass" : "newobj",
					"text" : "t l l l",
					"patching_rect" : [
						620.0,
						90.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-124",
					"maxclass" : "newobj",
					"text" : "zl slice 2",
					"patching_rect" : [
						560.0,
						120.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-125",
					"maxclass" : "newobj",
					"text" : "unpack i i",
					"patching_rect" : [
						560.0,
						150.0,
						82.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-126",
					"maxclass" : "newobj",
					"text" : "zl slice 1",
					"patching_rect" : [
						620.0,
						120.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-127",
					"maxclass" : "newobj",
					"text" : "zl slice 2",
					"patching_rect" : [
						680.0,
						120.0,
						82.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-128",
					"maxclass" : "newobj",
					"text" : "t b i b",
					"patching_rect" : [
						760.0,
						90.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"int",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-129",
					"maxclass" : "message",
					"text" : "1",
					"patching_rect" : [
						820.0,
						90.0,
						30.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-130",
					"maxclass" : "message",
					"text" : "nochord",
					"patching_rect" : [
						820.0,
						120.0,
						61.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-131",
					"maxclass" : "message",
					"text" : "1",
					"patching_rect" : [
						840.0,
						200.0,
						30.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-132",
					"maxclass" : "message",
					"text" : "0",
					"patching_rect" : [
						880.0,
						200.0,
						30.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-133",
					"maxclass" : "newobj",
					"text" : "t i",
					"patching_rect" : [
						860.0,
						230.0,
						33.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-134",
					"maxclass" : "newobj",
					"text" : "t b b b b b b b b b b b",
					"patching_rect" : [
						840.0,
						90.0,
						173.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 11,
					"outlettype" : [
						"bang",
						"bang",
						"bang",
						"bang",
						"bang",
						"bang",
						"bang",
						"bang",
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-135",
					"maxclass" : "newobj",
					"text" : "t b b",
					"patching_rect" : [
						960.0,
						90.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-136",
					"maxclass" : "newobj",
					"text" : "t b b b",
					"patching_rect" : [
						960.0,
						180.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-137",
					"maxclass" : "newobj",
					"text" : "route checkpoint latency_p50_ms",
					"patching_rect" : [
						1140.0,
						90.0,
						229.0,
						22.0
					],
					"numinlets" : 3,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-138",
					"maxclass" : "newobj",
					"text" : "t l l",
					"patching_rect" : [
						1140.0,
						120.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-139",
					"maxclass" : "newobj",
					"text" : "prepend setsymbol",
					"patching_rect" : [
						1140.0,
						150.0,
						131.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-140",
					"maxclass" : "newobj",
					"text" : "prepend set",
					"patching_rect" : [
						1200.0,
						150.0,
						89.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-141",
					"maxclass" : "message",
					"text" : "set latency $1 ms",
					"patching_rect" : [
						1260.0,
						120.0,
						131.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-142",
					"maxclass" : "message",
					"text" : "set $2",
					"patching_rect" : [
						1340.0,
						90.0,
						54.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-143",
					"maxclass" : "message",
					"text" : "clear",
					"patching_rect" : [
						780.0,
						260.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-144",
					"maxclass" : "newobj",
					"text" : "t b",
					"patching_rect" : [
						780.0,
						240.0,
						33.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-145",
					"maxclass" : "newobj",
					"text" : "t b",
					"patching_rect" : [
						1250.0,
						300.0,
						33.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-146",
					"maxclass" : "newobj",
					"text" : "transport",
					"patching_rect" : [
						1250.0,
						330.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 9,
					"outlettype" : [
						"int",
						"int",
						"float",
						"float",
						"float",
						"",
						"int",
						"float",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-147",
					"maxclass" : "newobj",
					"text" : "zl reg",
					"patching_rect" : [
						1250.0,
						400.0,
						54.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-148",
					"maxclass" : "newobj",
					"text" : "expr $f1/480.",
					"patching_rect" : [
						1330.0,
						370.0,
						103.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-149",
					"maxclass" : "newobj",
					"text" : "pack i f f",
					"patching_rect" : [
						1250.0,
						440.0,
						82.0,
						22.0
					],
					"numinlets" : 3,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-150",
					"maxclass" : "newobj",
					"text" : "t b",
					"patching_rect" : [
						1200.0,
						370.0,
						33.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-151",
					"maxclass" : "newobj",
					"text" : "prepend /jam/transport",
					"patching_rect" : [
						1250.0,
						470.0,
						166.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-152",
					"maxclass" : "newobj",
					"text" : "live.path",
					"patching_rect" : [
						1250.0,
						20.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-153",
					"maxclass" : "newobj",
					"text" : "t l l l l l l l",
					"patching_rect" : [
						1250.0,
						40.0,
						117.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 7,
					"outlettype" : [
						"",
						"",
						"",
						"",
						"",
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-154",
					"maxclass" : "newobj",
					"text" : "live.observer is_playing",
					"patching_rect" : [
						1250.0,
						60.0,
						180.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-155",
					"maxclass" : "newobj",
					"text" : "live.observer tempo",
					"patching_rect" : [
						1360.0,
						60.0,
						145.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-156",
					"maxclass" : "newobj",
					"text" : "live.observer loop",
					"patching_rect" : [
						1470.0,
						60.0,
						138.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-157",
					"maxclass" : "newobj",
					"text" : "live.observer loop_start",
					"patching_rect" : [
						1580.0,
						60.0,
						180.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-158",
					"maxclass" : "newobj",
					"text" : "live.observer loop_length",
					"patching_rect" : [
						1690.0,
						60.0,
						187.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-159",
					"maxclass" : "newobj",
					"text" : "live.observer signature_numerator",
					"patching_rect" : [
						1800.0,
						60.0,
						243.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-160",
					"maxclass" : "newobj",
					"text" : "live.observer signature_denominator",
					"patching_rect" : [
						1910.0,
						60.0,
						257.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-161",
					"maxclass" : "newobj",
					"text" : "sel 0",
					"patching_rect" : [
						1250.0,
						100.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-162",
					"maxclass" : "newobj",
					"text" : "t b b b b b",
					"patching_rect" : [
						1250.0,
						130.0,
						89.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 5,
					"outlettype" : [
						"bang",
						"bang",
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-163",
					"maxclass" : "newobj",
					"text" : "pack i f f",
					"patching_rect" : [
						1500.0,
						100.0,
						82.0,
						22.0
					],
					"numinlets" : 3,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-164",
					"maxclass" : "newobj",
					"text" : "t b f",
					"patching_rect" : [
						1620.0,
						80.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-165",
					"maxclass" : "newobj",
					"text" : "t b f",
					"patching_rect" : [
						1680.0,
						80.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-166",
					"maxclass" : "newobj",
					"text" : "t l l b",
					"patching_rect" : [
						1500.0,
						130.0,
						61.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"",
						"",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-167",
					"maxclass" : "newobj",
					"text" : "prepend /jam/loop",
					"patching_rect" : [
						1500.0,
						160.0,
						131.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-168",
					"maxclass" : "newobj",
					"text" : "unpack i f f",
					"patching_rect" : [
						1600.0,
						160.0,
						96.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 3,
					"outlettype" : [
						"int",
						"float",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-169",
					"maxclass" : "newobj",
					"text" : "expr int($f1*4+0.5)+int($f2*4+0.5)",
					"patching_rect" : [
						1700.0,
						190.0,
						250.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-170",
					"maxclass" : "newobj",
					"text" : "t f f",
					"patching_rect" : [
						1650.0,
						190.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"float",
						"float"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-171",
					"maxclass" : "newobj",
					"text" : "expr int($f1*4+0.5)",
					"patching_rect" : [
						1650.0,
						220.0,
						145.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-172",
					"maxclass" : "newobj",
					"text" : "expr $i1*4./($i2+($i2==0))",
					"patching_rect" : [
						1900.0,
						100.0,
						194.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-173",
					"maxclass" : "newobj",
					"text" : "t b i",
					"patching_rect" : [
						2000.0,
						80.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-174",
					"maxclass" : "newobj",
					"text" : "sel 0",
					"patching_rect" : [
						1900.0,
						115.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-175",
					"maxclass" : "newobj",
					"text" : "prepend /jam/set beats_per_bar",
					"patching_rect" : [
						1900.0,
						130.0,
						222.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-176",
					"maxclass" : "newobj",
					"text" : "transport",
					"patching_rect" : [
						1000.0,
						50.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 9,
					"outlettype" : [
						"int",
						"int",
						"float",
						"float",
						"float",
						"",
						"int",
						"float",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-177",
					"maxclass" : "newobj",
					"text" : "expr int($f1/120.+0.5)",
					"patching_rect" : [
						1000.0,
						80.0,
						166.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-178",
					"maxclass" : "newobj",
					"text" : "t i i i i i",
					"patching_rect" : [
						1000.0,
						110.0,
						89.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 5,
					"outlettype" : [
						"int",
						"int",
						"int",
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-179",
					"maxclass" : "newobj",
					"text" : "expr ($i1!=$i2+1)*(1+($i3*($i1==$i4)*($i2==$i5-1)==0))",
					"patching_rect" : [
						1180.0,
						140.0,
						390.0,
						22.0
					],
					"numinlets" : 5,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-180",
					"maxclass" : "newobj",
					"text" : "sel 1 2",
					"patching_rect" : [
						1180.0,
						170.0,
						61.0,
						22.0
					],
					"numinlets" : 3,
					"numoutlets" : 3,
					"outlettype" : [
						"bang",
						"bang",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-181",
					"maxclass" : "message",
					"text" : "-1000",
					"patching_rect" : [
						1330.0,
						160.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-182",
					"maxclass" : "newobj",
					"text" : "t i i i i i",
					"patching_rect" : [
						1330.0,
						190.0,
						89.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 5,
					"outlettype" : [
						"int",
						"int",
						"int",
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-183",
					"maxclass" : "message",
					"text" : "0",
					"patching_rect" : [
						1400.0,
						160.0,
						30.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-184",
					"maxclass" : "newobj",
					"text" : "t b b",
					"patching_rect" : [
						1120.0,
						200.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-185",
					"maxclass" : "newobj",
					"text" : "t b b b b b",
					"patching_rect" : [
						1180.0,
						200.0,
						89.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 5,
					"outlettype" : [
						"bang",
						"bang",
						"bang",
						"bang",
						"bang"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-186",
					"maxclass" : "newobj",
					"text" : "t i i i i",
					"patching_rect" : [
						900.0,
						140.0,
						75.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 4,
					"outlettype" : [
						"int",
						"int",
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-187",
					"maxclass" : "newobj",
					"text" : "t i i",
					"patching_rect" : [
						700.0,
						220.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-188",
					"maxclass" : "message",
					"text" : "remove $1",
					"patching_rect" : [
						700.0,
						250.0,
						75.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-189",
					"maxclass" : "newobj",
					"text" : "expr $i1%4",
					"patching_rect" : [
						1100.0,
						140.0,
						82.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 1,
					"outlettype" : [
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-190",
					"maxclass" : "newobj",
					"text" : "sel 0",
					"patching_rect" : [
						1100.0,
						170.0,
						47.0,
						22.0
					],
					"numinlets" : 2,
					"numoutlets" : 2,
					"outlettype" : [
						"bang",
						""
					]
				}
			},
			{
				"box" : {
					"id" : "obj-191",
					"maxclass" : "newobj",
					"text" : "t i i",
					"patching_rect" : [
						1600.0,
						250.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-192",
					"maxclass" : "newobj",
					"text" : "t i i",
					"patching_rect" : [
						1650.0,
						250.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			},
			{
				"box" : {
					"id" : "obj-193",
					"maxclass" : "newobj",
					"text" : "t i i",
					"patching_rect" : [
						1700.0,
						250.0,
						47.0,
						22.0
					],
					"numinlets" : 1,
					"numoutlets" : 2,
					"outlettype" : [
						"int",
						"int"
					]
				}
			}
		],
		"lines" : [
			{
				"patchline" : {
					"source" : [
						"obj-35",
						0
					],
					"destination" : [
						"obj-36",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-36",
						6
					],
					"destination" : [
						"obj-37",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-37",
						0
					],
					"destination" : [
						"obj-38",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-38",
						0
					],
					"destination" : [
						"obj-39",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-39",
						0
					],
					"destination" : [
						"obj-40",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-40",
						0
					],
					"destination" : [
						"obj-41",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-41",
						2
					],
					"destination" : [
						"obj-42",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-42",
						0
					],
					"destination" : [
						"obj-2",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-41",
						1
					],
					"destination" : [
						"obj-44",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-44",
						0
					],
					"destination" : [
						"obj-43",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-41",
						0
					],
					"destination" : [
						"obj-46",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-46",
						0
					],
					"destination" : [
						"obj-45",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-33",
						0
					],
					"destination" : [
						"obj-47",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-47",
						0
					],
					"destination" : [
						"obj-48",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-48",
						0
					],
					"destination" : [
						"obj-43",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-48",
						1
					],
					"destination" : [
						"obj-45",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-45",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-36",
						5
					],
					"destination" : [
						"obj-26",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-26",
						0
					],
					"destination" : [
						"obj-49",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-49",
						2
					],
					"destination" : [
						"obj-50",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-50",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-49",
						1
					],
					"destination" : [
						"obj-51",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-51",
						0
					],
					"destination" : [
						"obj-3",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-49",
						0
					],
					"destination" : [
						"obj-52",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-52",
						0
					],
					"destination" : [
						"obj-33",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-43",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-36",
						2
					],
					"destination" : [
						"obj-53",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-36",
						1
					],
					"destination" : [
						"obj-54",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-36",
						0
					],
					"destination" : [
						"obj-55",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-55",
						0
					],
					"destination" : [
						"obj-56",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-56",
						1
					],
					"destination" : [
						"obj-57",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-57",
						0
					],
					"destination" : [
						"obj-58",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-58",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-56",
						0
					],
					"destination" : [
						"obj-59",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-60",
						0
					],
					"destination" : [
						"obj-61",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-61",
						1
					],
					"destination" : [
						"obj-62",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-62",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-61",
						0
					],
					"destination" : [
						"obj-63",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-63",
						0
					],
					"destination" : [
						"obj-3",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-3",
						0
					],
					"destination" : [
						"obj-64",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-64",
						0
					],
					"destination" : [
						"obj-65",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-65",
						0
					],
					"destination" : [
						"obj-31",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-12",
						0
					],
					"destination" : [
						"obj-66",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-66",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-10",
						1
					],
					"destination" : [
						"obj-67",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-67",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-16",
						1
					],
					"destination" : [
						"obj-68",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-68",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-18",
						1
					],
					"destination" : [
						"obj-69",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-69",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-14",
						0
					],
					"destination" : [
						"obj-70",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-70",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-13",
						0
					],
					"destination" : [
						"obj-71",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-71",
						0
					],
					"destination" : [
						"obj-72",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-72",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-71",
						1
					],
					"destination" : [
						"obj-73",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-8",
						1
					],
					"destination" : [
						"obj-74",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-74",
						0
					],
					"destination" : [
						"obj-11",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-74",
						1
					],
					"destination" : [
						"obj-75",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-75",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-11",
						0
					],
					"destination" : [
						"obj-76",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-76",
						0
					],
					"destination" : [
						"obj-77",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-77",
						1
					],
					"destination" : [
						"obj-78",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-78",
						0
					],
					"destination" : [
						"obj-8",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-77",
						0
					],
					"destination" : [
						"obj-79",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-79",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-23",
						0
					],
					"destination" : [
						"obj-80",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-80",
						0
					],
					"destination" : [
						"obj-81",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-81",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-82",
						0
					],
					"destination" : [
						"obj-84",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-22",
						0
					],
					"destination" : [
						"obj-85",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-36",
						4
					],
					"destination" : [
						"obj-22",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-84",
						0
					],
					"destination" : [
						"obj-85",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-85",
						0
					],
					"destination" : [
						"obj-83",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-84",
						1
					],
					"destination" : [
						"obj-86",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-86",
						0
					],
					"destination" : [
						"obj-87",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-87",
						1
					],
					"destination" : [
						"obj-88",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-88",
						7
					],
					"destination" : [
						"obj-89",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-89",
						0
					],
					"destination" : [
						"obj-90",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-87",
						0
					],
					"destination" : [
						"obj-90",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-90",
						0
					],
					"destination" : [
						"obj-91",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-91",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-92",
						0
					],
					"destination" : [
						"obj-83",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-20",
						0
					],
					"destination" : [
						"obj-93",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-36",
						3
					],
					"destination" : [
						"obj-20",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-93",
						0
					],
					"destination" : [
						"obj-92",
						6
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-93",
						1
					],
					"destination" : [
						"obj-95",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-80",
						2
					],
					"destination" : [
						"obj-95",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-61",
						2
					],
					"destination" : [
						"obj-95",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-95",
						1
					],
					"destination" : [
						"obj-94",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-95",
						0
					],
					"destination" : [
						"obj-96",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-96",
						0
					],
					"destination" : [
						"obj-94",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-94",
						0
					],
					"destination" : [
						"obj-97",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-97",
						0
					],
					"destination" : [
						"obj-98",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-98",
						0
					],
					"destination" : [
						"obj-92",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-100",
						0
					],
					"destination" : [
						"obj-99",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-101",
						0
					],
					"destination" : [
						"obj-102",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-102",
						2
					],
					"destination" : [
						"obj-95",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-102",
						1
					],
					"destination" : [
						"obj-100",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-102",
						0
					],
					"destination" : [
						"obj-103",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-101",
						1
					],
					"destination" : [
						"obj-104",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-104",
						2
					],
					"destination" : [
						"obj-95",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-104",
						1
					],
					"destination" : [
						"obj-100",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-104",
						0
					],
					"destination" : [
						"obj-105",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-105",
						0
					],
					"destination" : [
						"obj-106",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-106",
						0
					],
					"destination" : [
						"obj-107",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-103",
						0
					],
					"destination" : [
						"obj-107",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-107",
						0
					],
					"destination" : [
						"obj-28",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-105",
						1
					],
					"destination" : [
						"obj-108",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-108",
						1
					],
					"destination" : [
						"obj-94",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-108",
						0
					],
					"destination" : [
						"obj-109",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-109",
						0
					],
					"destination" : [
						"obj-110",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-110",
						0
					],
					"destination" : [
						"obj-92",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-2",
						0
					],
					"destination" : [
						"obj-111",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-112",
						0
					],
					"destination" : [
						"obj-101",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-113",
						1
					],
					"destination" : [
						"obj-114",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-114",
						0
					],
					"destination" : [
						"obj-116",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-116",
						0
					],
					"destination" : [
						"obj-117",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-117",
						0
					],
					"destination" : [
						"obj-115",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-116",
						1
					],
					"destination" : [
						"obj-118",
						5
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-116",
						2
					],
					"destination" : [
						"obj-119",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-119",
						0
					],
					"destination" : [
						"obj-120",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-120",
						0
					],
					"destination" : [
						"obj-121",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-121",
						0
					],
					"destination" : [
						"obj-118",
						6
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-113",
						0
					],
					"destination" : [
						"obj-118",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-118",
						0
					],
					"destination" : [
						"obj-122",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-122",
						0
					],
					"destination" : [
						"obj-115",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-115",
						0
					],
					"destination" : [
						"obj-112",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-122",
						1
					],
					"destination" : [
						"obj-101",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-111",
						0
					],
					"destination" : [
						"obj-123",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-123",
						2
					],
					"destination" : [
						"obj-124",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-124",
						0
					],
					"destination" : [
						"obj-125",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-125",
						1
					],
					"destination" : [
						"obj-118",
						4
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-123",
						1
					],
					"destination" : [
						"obj-126",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-126",
						0
					],
					"destination" : [
						"obj-113",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-123",
						0
					],
					"destination" : [
						"obj-127",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-127",
						1
					],
					"destination" : [
						"obj-122",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-111",
						1
					],
					"destination" : [
						"obj-128",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-128",
						2
					],
					"destination" : [
						"obj-129",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-129",
						0
					],
					"destination" : [
						"obj-118",
						4
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-128",
						1
					],
					"destination" : [
						"obj-113",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-128",
						0
					],
					"destination" : [
						"obj-130",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-130",
						0
					],
					"destination" : [
						"obj-122",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-131",
						0
					],
					"destination" : [
						"obj-133",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-132",
						0
					],
					"destination" : [
						"obj-133",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-133",
						0
					],
					"destination" : [
						"obj-6",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-111",
						2
					],
					"destination" : [
						"obj-134",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						10
					],
					"destination" : [
						"obj-131",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						9
					],
					"destination" : [
						"obj-54",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						8
					],
					"destination" : [
						"obj-12",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						7
					],
					"destination" : [
						"obj-14",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						6
					],
					"destination" : [
						"obj-13",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						5
					],
					"destination" : [
						"obj-10",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						4
					],
					"destination" : [
						"obj-16",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						3
					],
					"destination" : [
						"obj-18",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						0
					],
					"destination" : [
						"obj-8",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-111",
						3
					],
					"destination" : [
						"obj-135",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-135",
						1
					],
					"destination" : [
						"obj-131",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-135",
						0
					],
					"destination" : [
						"obj-54",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-54",
						0
					],
					"destination" : [
						"obj-136",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-136",
						2
					],
					"destination" : [
						"obj-132",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-136",
						1
					],
					"destination" : [
						"obj-33",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-136",
						0
					],
					"destination" : [
						"obj-54",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-111",
						4
					],
					"destination" : [
						"obj-137",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-137",
						0
					],
					"destination" : [
						"obj-138",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-138",
						1
					],
					"destination" : [
						"obj-139",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-139",
						0
					],
					"destination" : [
						"obj-8",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-138",
						0
					],
					"destination" : [
						"obj-140",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-140",
						0
					],
					"destination" : [
						"obj-29",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-137",
						1
					],
					"destination" : [
						"obj-141",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-141",
						0
					],
					"destination" : [
						"obj-30",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-111",
						5
					],
					"destination" : [
						"obj-142",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-142",
						0
					],
					"destination" : [
						"obj-34",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-80",
						1
					],
					"destination" : [
						"obj-144",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-144",
						0
					],
					"destination" : [
						"obj-143",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-143",
						0
					],
					"destination" : [
						"obj-112",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-145",
						0
					],
					"destination" : [
						"obj-146",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-146",
						6
					],
					"destination" : [
						"obj-147",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-146",
						7
					],
					"destination" : [
						"obj-148",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-148",
						0
					],
					"destination" : [
						"obj-149",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-146",
						4
					],
					"destination" : [
						"obj-149",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-146",
						0
					],
					"destination" : [
						"obj-150",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-150",
						0
					],
					"destination" : [
						"obj-147",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-147",
						0
					],
					"destination" : [
						"obj-149",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-149",
						0
					],
					"destination" : [
						"obj-151",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-151",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-53",
						0
					],
					"destination" : [
						"obj-152",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-152",
						0
					],
					"destination" : [
						"obj-153",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-153",
						0
					],
					"destination" : [
						"obj-154",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-153",
						1
					],
					"destination" : [
						"obj-155",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-153",
						2
					],
					"destination" : [
						"obj-156",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-153",
						3
					],
					"destination" : [
						"obj-157",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-153",
						4
					],
					"destination" : [
						"obj-158",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-153",
						5
					],
					"destination" : [
						"obj-159",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-153",
						6
					],
					"destination" : [
						"obj-160",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-154",
						0
					],
					"destination" : [
						"obj-161",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-161",
						0
					],
					"destination" : [
						"obj-162",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-161",
						1
					],
					"destination" : [
						"obj-145",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-155",
						0
					],
					"destination" : [
						"obj-145",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-156",
						0
					],
					"destination" : [
						"obj-163",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-157",
						0
					],
					"destination" : [
						"obj-164",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-164",
						1
					],
					"destination" : [
						"obj-163",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-164",
						0
					],
					"destination" : [
						"obj-163",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-158",
						0
					],
					"destination" : [
						"obj-165",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-165",
						1
					],
					"destination" : [
						"obj-163",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-165",
						0
					],
					"destination" : [
						"obj-163",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						1
					],
					"destination" : [
						"obj-163",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-163",
						0
					],
					"destination" : [
						"obj-166",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-166",
						0
					],
					"destination" : [
						"obj-167",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-167",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-166",
						1
					],
					"destination" : [
						"obj-168",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-168",
						2
					],
					"destination" : [
						"obj-169",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-168",
						1
					],
					"destination" : [
						"obj-170",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-170",
						1
					],
					"destination" : [
						"obj-171",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-170",
						0
					],
					"destination" : [
						"obj-169",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-159",
						0
					],
					"destination" : [
						"obj-172",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-160",
						0
					],
					"destination" : [
						"obj-173",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-173",
						1
					],
					"destination" : [
						"obj-172",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-173",
						0
					],
					"destination" : [
						"obj-172",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-134",
						2
					],
					"destination" : [
						"obj-172",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-172",
						0
					],
					"destination" : [
						"obj-174",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-174",
						1
					],
					"destination" : [
						"obj-175",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-175",
						0
					],
					"destination" : [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-59",
						0
					],
					"destination" : [
						"obj-176",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-176",
						7
					],
					"destination" : [
						"obj-177",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-177",
						0
					],
					"destination" : [
						"obj-178",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-178",
						4
					],
					"destination" : [
						"obj-179",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-179",
						0
					],
					"destination" : [
						"obj-180",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-181",
						0
					],
					"destination" : [
						"obj-182",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-183",
						0
					],
					"destination" : [
						"obj-118",
						6
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-180",
						0
					],
					"destination" : [
						"obj-184",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-184",
						1
					],
					"destination" : [
						"obj-181",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-184",
						0
					],
					"destination" : [
						"obj-145",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-180",
						1
					],
					"destination" : [
						"obj-185",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-185",
						4
					],
					"destination" : [
						"obj-183",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-185",
						3
					],
					"destination" : [
						"obj-181",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-185",
						2
					],
					"destination" : [
						"obj-95",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-185",
						1
					],
					"destination" : [
						"obj-143",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-185",
						0
					],
					"destination" : [
						"obj-145",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-178",
						3
					],
					"destination" : [
						"obj-186",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-186",
						3
					],
					"destination" : [
						"obj-119",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-186",
						2
					],
					"destination" : [
						"obj-114",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-186",
						1
					],
					"destination" : [
						"obj-118",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-186",
						0
					],
					"destination" : [
						"obj-99",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-99",
						0
					],
					"destination" : [
						"obj-118",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-182",
						4
					],
					"destination" : [
						"obj-119",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-182",
						3
					],
					"destination" : [
						"obj-114",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-182",
						2
					],
					"destination" : [
						"obj-118",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-182",
						1
					],
					"destination" : [
						"obj-118",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-182",
						0
					],
					"destination" : [
						"obj-179",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-178",
						2
					],
					"destination" : [
						"obj-187",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-187",
						1
					],
					"destination" : [
						"obj-112",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-187",
						0
					],
					"destination" : [
						"obj-188",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-188",
						0
					],
					"destination" : [
						"obj-112",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-178",
						1
					],
					"destination" : [
						"obj-189",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-189",
						0
					],
					"destination" : [
						"obj-190",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-190",
						0
					],
					"destination" : [
						"obj-145",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-178",
						0
					],
					"destination" : [
						"obj-179",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-168",
						0
					],
					"destination" : [
						"obj-191",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-191",
						1
					],
					"destination" : [
						"obj-114",
						1
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-191",
						0
					],
					"destination" : [
						"obj-179",
						2
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-171",
						0
					],
					"destination" : [
						"obj-192",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-192",
						1
					],
					"destination" : [
						"obj-114",
						4
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-192",
						0
					],
					"destination" : [
						"obj-179",
						3
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-169",
						0
					],
					"destination" : [
						"obj-193",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-193",
						1
					],
					"destination" : [
						"obj-114",
						3
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-193",
						0
					],
					"destination" : [
						"obj-179",
						4
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-73",
						0
					],
					"destination" : [
						"obj-118",
						3
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-166",
						2
					],
					"destination" : [
						"obj-143",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-162",
						4
					],
					"destination" : [
						"obj-183",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-162",
						3
					],
					"destination" : [
						"obj-181",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-162",
						2
					],
					"destination" : [
						"obj-95",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-162",
						1
					],
					"destination" : [
						"obj-143",
						0
					]
				}
			},
			{
				"patchline" : {
					"source" : [
						"obj-162",
						0
					],
					"destination" : [
						"obj-145",
						0
					]
				}
			}
		],
		"parameters" : {
			"obj-8" : [
				"Checkpoint",
				"Checkpoint",
				0
			],
			"obj-10" : [
				"Output",
				"Output",
				0
			],
			"obj-11" : [
				"Blend",
				"Blend",
				0
			],
			"obj-12" : [
				"Temperature",
				"Temp",
				0
			],
			"obj-13" : [
				"Lookahead",
				"Ahead",
				0
			],
			"obj-14" : [
				"Recall",
				"Recall",
				0
			],
			"obj-16" : [
				"Voicing",
				"Voicing",
				0
			],
			"obj-18" : [
				"Grid",
				"Grid",
				0
			],
			"obj-20" : [
				"Chord channel",
				"Chord ch",
				0
			],
			"obj-22" : [
				"Thru",
				"Thru",
				0
			],
			"obj-23" : [
				"Reset",
				"Reset",
				0
			],
			"obj-26" : [
				"Port",
				"Port",
				0
			],
			"obj-33" : [
				"Secret",
				"Secret",
				0
			]
		},
		"dependency_cache" : [],
		"autosave" : 0
	}
}
