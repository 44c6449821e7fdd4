# Drawn by the replicate harness; run `gnuplot downstream-vs-replay.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Final downstream loss F_end against the replay fraction"
set xlabel "replay of U (% of sequences)"
set ylabel "F_end (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'downstream-vs-replay.png'
plot 'downstream-vs-replay.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "F_end"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'downstream-vs-replay.svg'
plot 'downstream-vs-replay.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "F_end"
unset output
